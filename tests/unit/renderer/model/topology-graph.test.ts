import { describe, expect, it } from 'vitest';
import type { HostSnapshot, Link } from '../../../../main/core/host-snapshot';
import { buildTopologyGraph, type TopologyGraph } from '../../../../renderer/src/model/topology-graph';
import { hostSnapshot } from '../fixtures/host-snapshot';

const ids = (graph: TopologyGraph) => graph.nodes.map((n) => n.id);
const edgesOf = (graph: TopologyGraph) => graph.edges.map((e) => `${e.kind} ${e.source} ${e.target}`);
const link = (l: Partial<Link> & Pick<Link, 'index' | 'name' | 'kind'>): Link => ({ mtu: 1500, up: true, operState: 'UP', addresses: [], ...l });

/** the fixture with a running guest on a vnet of virbr0, a stopped guest, and a user's persistent tap */
function withGuests(): HostSnapshot {
  const snapshot = hostSnapshot();
  snapshot.links.push(
    link({ index: 20, name: 'vnet0', kind: 'tap', master: 'virbr0', mac: 'fe:54:00:aa:bb:01' }),
    link({ index: 21, name: 'qtap0', kind: 'tap', tapOwnerUid: 1000, operState: 'DOWN' }),
    link({ index: 22, name: 'qtap1', kind: 'tap', master: 'kvbr0', tapOwnerUid: 1000 }),
  );
  snapshot.libvirt.domains = [
    { name: 'web', state: 'running', interfaces: [{ type: 'network', mac: '52:54:00:aa:bb:01', source: 'default', target: 'vnet0', model: 'virtio' }] },
    { name: 'db', state: 'shut off', interfaces: [{ type: 'network', mac: '52:54:00:aa:bb:02', source: 'default', model: 'virtio' }] },
  ];
  return snapshot;
}

describe('buildTopologyGraph', () => {
  it('draws every link but loopback, the networks, and who plugs into what', () => {
    const graph = buildTopologyGraph(hostSnapshot());
    expect(ids(graph)).toEqual([
      'link:eth0', 'link:kvbr0', 'link:kvtap0', 'link:kvtap1', 'link:veth0', 'link:veth1', 'link:virbr0', 'link:wlan0',
      'network:default', 'network:demo',
    ]);
    expect(edgesOf(graph)).toEqual([
      'port link:kvtap0 link:kvbr0',
      'port link:kvtap1 link:kvbr0',
      'peer link:veth0 link:veth1',
      'network link:virbr0 network:default',
      // libvirt's default network NATs through the default route's link
      'nat network:default link:eth0',
      // "demo" runs on kvbr0, whose alias says so, although libvirt's record names kvbr1, which does not exist
      'network link:kvbr0 network:demo',
    ]);
  });

  it('names each node\'s kind and state: NICs wired or wireless, up or down; networks active or not', () => {
    const graph = buildTopologyGraph(hostSnapshot());
    const node = (id: string) => graph.nodes.find((n) => n.id === id)!;
    expect([node('link:eth0').kind, node('link:eth0').status]).toEqual(['ethernet', 'up']);
    expect([node('link:wlan0').kind, node('link:wlan0').status]).toEqual(['wireless', 'down']);
    expect([node('link:kvtap1').kind, node('link:kvtap1').status]).toEqual(['tap', 'noCarrier']);
    expect([node('link:kvbr0').kind, node('network:default').status, node('network:demo').status]).toEqual(['bridge', 'active', 'inactive']);
    const demo = node('network:demo').subject;
    expect(demo.type === 'network' && [demo.network.managedByKvmnet, demo.network.bridge]).toEqual([true, 'kvbr0']);
  });

  it('joins a running guest to its vnet, a stopped one to its network, and a user\'s taps to that user', () => {
    const graph = buildTopologyGraph(withGuests());
    expect(ids(graph).filter((id) => !id.startsWith('link:'))).toEqual(['network:default', 'network:demo', 'guest:db', 'guest:web', 'owner:1000']);
    expect(edgesOf(graph).filter((e) => /guest|owner/.test(e.split(' ')[0]!))).toEqual([
      'guest guest:db network:default',
      'guest guest:web link:vnet0',
      'owner owner:1000 link:qtap0',
      'owner owner:1000 link:qtap1',
    ]);
    const web = graph.nodes.find((n) => n.id === 'guest:web')!;
    expect([web.kind, web.status, graph.nodes.find((n) => n.id === 'guest:db')!.status]).toEqual(['guest', 'running', 'stopped']);
    const owner = graph.nodes.find((n) => n.id === 'owner:1000')!.subject;
    expect(owner).toEqual({ type: 'tapOwner', uid: 1000, taps: ['qtap0', 'qtap1'] });
  });

  it('does not draw an owner for a tap that a libvirt guest already explains', () => {
    const snapshot = withGuests();
    snapshot.links = snapshot.links.map((l) => (l.name === 'vnet0' ? { ...l, tapOwnerUid: 0 } : l));
    expect(ids(buildTopologyGraph(snapshot))).not.toContain('owner:0');
  });

  it('draws a NIC enslaved to a bridge as the bridge\'s uplink, beyond it', () => {
    const snapshot = hostSnapshot();
    snapshot.links = snapshot.links.map((l) => (l.name === 'eth0' ? { ...l, master: 'kvbr0' } : l));
    expect(edgesOf(buildTopologyGraph(snapshot))).toContain('uplink link:kvbr0 link:eth0');
  });

  it('draws a routed network\'s way out, and none for an isolated, stopped or open one', () => {
    const snapshot = hostSnapshot();
    const base = snapshot.libvirt.networks[0]!;
    snapshot.libvirt.networks = [
      { ...base, name: 'routed', forwardMode: 'route' },
      { ...base, name: 'iso', forwardMode: undefined },
      { ...base, name: 'off', active: false },
      // a mode KVMNet does not draw, even one named like an object's own property
      { ...base, name: 'odd', forwardMode: 'toString' },
      { ...base, name: 'open', forwardMode: 'open' },
    ];
    const forwards = edgesOf(buildTopologyGraph(snapshot)).filter((e) => /^(nat|route) /.test(e));
    expect(forwards).toEqual(['route network:routed link:eth0']);
  });

  it('takes the IPv4 default route with the lowest metric as the uplink', () => {
    const snapshot = hostSnapshot({
      routes: [
        { family: 'inet6', dst: 'default', dev: 'veth0' },
        { family: 'inet', dst: 'default', dev: 'wlan0', metric: 600 },
        { family: 'inet', dst: 'default', dev: 'eth0', metric: 100 },
        { family: 'inet', dst: '10.0.0.0/8', dev: 'veth1' },
      ],
    });
    expect(edgesOf(buildTopologyGraph(snapshot))).toContain('nat network:default link:eth0');
    snapshot.routes = [];
    expect(edgesOf(buildTopologyGraph(snapshot)).some((e) => e.startsWith('nat '))).toBe(false);
  });

  it('puts each link\'s rate on one edge only: its port edge, else its guest edge', () => {
    const snapshot = withGuests();
    const rate = { rxBytesPerSecond: 1000, txBytesPerSecond: 2000 };
    const rates = new Map(['kvtap0', 'vnet0', 'qtap0', 'virbr0', 'eth0'].map((name) => [name, rate]));
    const graph = buildTopologyGraph(snapshot, rates);
    const carried = graph.edges.filter((e) => e.rate).map((e) => `${e.id} (${e.rateLink})`);
    expect(carried).toEqual([
      'port:link:kvtap0→link:kvbr0 (kvtap0)',
      'port:link:vnet0→link:virbr0 (vnet0)',
      'nat:network:default→link:eth0 (virbr0)',
      'owner:owner:1000→link:qtap0 (qtap0)',
    ]);
    const eth0 = graph.nodes.find((n) => n.id === 'link:eth0')!.subject;
    expect(eth0.type === 'link' && eth0.rate).toEqual(rate);
  });

  it('gives every node and edge a unique id', () => {
    const graph = buildTopologyGraph(withGuests());
    expect(new Set(ids(graph)).size).toBe(graph.nodes.length);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
    const nodes = new Set(ids(graph));
    expect(graph.edges.every((e) => nodes.has(e.source) && nodes.has(e.target))).toBe(true);
  });
});
