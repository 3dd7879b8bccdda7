import { describe, expect, it } from 'vitest';
import { buildTopology } from '../../../../renderer/src/model/host-topology';
import { hostSnapshot } from '../fixtures/host-snapshot';

const names = (links: { name: string }[]) => links.map((l) => l.name);

describe('buildTopology', () => {
  it('groups adapters, bridges with their ports, and the remaining links; loopback is left out', () => {
    const topology = buildTopology(hostSnapshot());
    expect(names(topology.adapters)).toEqual(['eth0', 'wlan0']);
    expect(topology.bridges.map((b) => [b.bridge.name, names(b.ports)])).toEqual([
      ['kvbr0', ['kvtap0', 'kvtap1']],
      ['virbr0', []],
    ]);
    expect(names(topology.others)).toEqual(['veth0', 'veth1']);
    expect(topology.linkCount).toBe(8);
  });

  it('lists every non-loopback link exactly once at top level or as a port', () => {
    const snapshot = hostSnapshot();
    const topology = buildTopology(snapshot);
    const shown = [...topology.adapters, ...topology.bridges.flatMap((b) => [b.bridge, ...b.ports]), ...topology.others].map((l) => l.name);
    expect(shown.sort()).toEqual(snapshot.links.filter((l) => l.kind !== 'loopback').map((l) => l.name).sort());
  });

  it('keeps a NIC that is a bridge port among the adapters as well', () => {
    const snapshot = hostSnapshot();
    snapshot.links = snapshot.links.map((l) => (l.name === 'eth0' ? { ...l, master: 'kvbr0' } : l));
    const topology = buildTopology(snapshot);
    expect(names(topology.adapters)).toContain('eth0');
    expect(names(topology.bridges[0]!.ports)).toEqual(['eth0', 'kvtap0', 'kvtap1']);
  });

  it('leaves a link whose master is not a bridge among the other links', () => {
    const snapshot = hostSnapshot();
    snapshot.links.push({ index: 20, name: 'bond0', kind: 'bond', mtu: 1500, up: true, operState: 'UP', addresses: [] });
    snapshot.links = snapshot.links.map((l) => (l.name === 'veth1' ? { ...l, master: 'bond0' } : l));
    expect(names(buildTopology(snapshot).others)).toEqual(['bond0', 'veth0', 'veth1']);
  });

  it('sorts names the way people count: kvtap2 before kvtap10', () => {
    const snapshot = hostSnapshot();
    snapshot.links.push(
      { index: 30, name: 'kvtap10', kind: 'tap', master: 'kvbr0', mtu: 1500, up: true, operState: 'UP', addresses: [] },
      { index: 31, name: 'kvtap2', kind: 'tap', master: 'kvbr0', mtu: 1500, up: true, operState: 'UP', addresses: [] },
    );
    expect(names(buildTopology(snapshot).bridges[0]!.ports)).toEqual(['kvtap0', 'kvtap1', 'kvtap2', 'kvtap10']);
  });

  it('passes on why libvirt is unavailable', () => {
    const topology = buildTopology(hostSnapshot({ libvirt: { available: false, reason: 'libvirtd is not running', networks: [], domains: [] } }));
    expect(topology.libvirt).toEqual({ available: false, reason: 'libvirtd is not running', networks: [] });
  });
});
