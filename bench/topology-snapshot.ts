import type { HostSnapshot, LibvirtDomain, Link } from '../main/core/host-snapshot';
import type { HostCounters } from '../main/core/host-counters';
import { buildTopologyGraph } from '../renderer/src/model/topology-graph';

const BRIDGES = 20;
const TAPS_PER_BRIDGE = 10;
/** the tap the structural updates add and remove; its owner is already drawn, so it adds one node */
export const EXTRA_TAP = 'vnet9999';

/** counters that grow faster every second, so each new snapshot brings new rates */
const counters = (index: number, seconds: number): Link['stats'] => {
  const growth = (seconds + 1) ** 2;
  return { rxBytes: index * 1000 * growth, txBytes: index * 400 * growth, rxPackets: index * growth, txPackets: index * growth };
};

/**
 * A busy host for the topology benchmark, with exactly `nodes` nodes in the diagram: a wired and
 * a wireless NIC, NAT networks on their own bridges, taps on the bridges (three in four belong to
 * a libvirt guest, the rest to a few users running plain QEMU), veth pairs, and dummies to make
 * up the count.
 */
export function busySnapshot(nodes: number): HostSnapshot {
  const links: Link[] = [];
  const domains: LibvirtDomain[] = [];
  const networks: HostSnapshot['libvirt']['networks'] = [];
  const add = (l: Pick<Link, 'name' | 'kind'> & Partial<Link>): void => {
    const index = links.length + 1;
    links.push({ index, mtu: 1500, up: true, operState: 'UP', addresses: [], stats: counters(index, 0), ...l });
  };
  add({ name: 'lo', kind: 'loopback', operState: 'UNKNOWN' });
  add({ name: 'eth0', kind: 'physical', mac: '52:54:00:00:00:01', addresses: [{ family: 'inet', address: '192.168.1.20', prefixLength: 24, scope: 'global' }] });
  add({ name: 'wlan0', kind: 'wireless', up: false, operState: 'DOWN', mac: '52:54:00:00:00:02' });
  for (let b = 0; b < BRIDGES; b++) {
    const bridge = `virbr${b}`;
    add({ name: bridge, kind: 'bridge', infoKind: 'bridge', addresses: [{ family: 'inet', address: `10.${b}.0.1`, prefixLength: 24, scope: 'global' }] });
    networks.push({ name: `net${b}`, active: true, autostart: true, persistent: true, bridge, forwardMode: 'nat', managedByKvmnet: b % 2 === 0 });
    for (let t = 0; t < TAPS_PER_BRIDGE; t++) {
      const tap = `vnet${b * 100 + t}`;
      if (t % 4 === 3) {
        add({ name: tap, kind: 'tap', infoKind: 'tun', master: bridge, tapOwnerUid: 1000 + (b % 5) });
      } else {
        add({ name: tap, kind: 'tap', infoKind: 'tun', master: bridge });
        domains.push({ name: `guest-${b}-${t}`, state: 'running', interfaces: [{ type: 'network', source: `net${b}`, target: tap, model: 'virtio' }] });
      }
    }
  }
  const snapshot: HostSnapshot = {
    takenAt: new Date(Date.UTC(2026, 0, 1, 10, 0, 0)).toISOString(),
    hostname: 'bench-host',
    links,
    routes: [{ family: 'inet', dst: 'default', gateway: '192.168.1.1', dev: 'eth0' }],
    libvirt: { available: true, networks, domains },
  };
  const count = () => buildTopologyGraph(snapshot).nodes.length;
  for (let v = 0; count() + 2 <= nodes; v++) {
    add({ name: `veth${v}a`, kind: 'veth', infoKind: 'veth', peer: `veth${v}b` });
    add({ name: `veth${v}b`, kind: 'veth', infoKind: 'veth', peer: `veth${v}a` });
  }
  for (let d = 0; count() < nodes; d++) add({ name: `dummy${d}`, kind: 'dummy', infoKind: 'dummy', operState: 'UNKNOWN' });
  return snapshot;
}

/** The same host `seconds` later: every counter grew; with `extraTap`, one more tap on virbr0. */
export function laterSnapshot(base: HostSnapshot, seconds: number, extraTap: boolean): HostSnapshot {
  const links = base.links.map((l) => ({ ...l, stats: counters(l.index, seconds) }));
  if (extraTap) links.push({ index: 9999, name: EXTRA_TAP, kind: 'tap', infoKind: 'tun', master: 'virbr0', tapOwnerUid: 1000, mtu: 1500, up: true, operState: 'UP', addresses: [], stats: counters(9999, seconds) });
  return { ...base, takenAt: new Date(Date.parse(base.takenAt) + seconds * 1000).toISOString(), links };
}

/** what main's counters feed would push for this snapshot (host:counters) */
export function countersOf(snapshot: HostSnapshot): HostCounters {
  return { takenAt: snapshot.takenAt, links: snapshot.links.flatMap((l) => (l.stats ? [{ name: l.name, ...l.stats }] : [])) };
}
