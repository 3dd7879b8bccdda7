import type { HostSnapshot } from '../../../../main/core/host-snapshot';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import type { IpForwardValue, PlanContext } from '../../../../main/core/plan/plan-context';
import type { NetworkRecord } from '../../../../main/core/network/network-record';
import { laptopSnapshot, link } from '../network/host-fixture';

/** One network of each kind, as completeDraft would give them. */
export const specs = {
  nat: {
    name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kv-lab',
    ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
  },
  routed: {
    name: 'routed', kind: 'routed', backend: 'direct', bridge: 'kv-routed', uplink: 'eth0',
    ipv4: { subnet: '10.80.1.0/24', gateway: '10.80.1.1' }, dhcp: { start: '10.80.1.128', end: '10.80.1.254' }, autostart: true,
  },
  hostonly: {
    name: 'ho', kind: 'hostonly', backend: 'direct', bridge: 'kv-ho',
    ipv4: { subnet: '10.80.2.0/24', gateway: '10.80.2.1' }, dhcp: null, autostart: false,
  },
  isolated: { name: 'iso', kind: 'isolated', backend: 'direct', bridge: 'kv-iso', ipv4: null, dhcp: null, autostart: true },
} satisfies Record<string, NetworkSpec>;

export const asLibvirt = (spec: NetworkSpec): NetworkSpec => ({ ...spec, backend: 'libvirt' });

export const record = (spec: NetworkSpec, ipForwardBefore?: '0' | '1'): NetworkRecord => ({
  version: 1, spec, ...(ipForwardBefore !== undefined && { ipForwardBefore }),
});

/** the laptop without any network of KVMNet's: no kv-lab, no libvirt network of KVMNet's */
export function bareSnapshot(): HostSnapshot {
  const snapshot = laptopSnapshot();
  return {
    ...snapshot,
    links: snapshot.links.filter((l) => !l.owner && l.master !== 'kv-lab'),
    routes: snapshot.routes.filter((r) => r.dev !== 'kv-lab'),
    libvirt: { ...snapshot.libvirt, networks: snapshot.libvirt.networks.filter((n) => !n.managedByKvmnet) },
  };
}

/** the bridges of these records exist, as after their networks started */
export function running(snapshot: HostSnapshot, ...records: NetworkRecord[]): HostSnapshot {
  return {
    ...snapshot,
    links: [...snapshot.links, ...records.map((r) => link(r.spec.bridge, 'bridge', [], { alias: `kvmnet:${r.spec.name}`, owner: r.spec.name }))],
  };
}

export function context(records: NetworkRecord[], ipForward: IpForwardValue, snapshot: HostSnapshot = bareSnapshot()): PlanContext {
  return { records, ipForward, snapshot };
}

/** the libvirt default network stopped: nothing of libvirt's forwards */
export function withoutForwardingLibvirt(snapshot: HostSnapshot): HostSnapshot {
  return { ...snapshot, libvirt: { ...snapshot.libvirt, networks: snapshot.libvirt.networks.map((n) => ({ ...n, active: false })) } };
}
