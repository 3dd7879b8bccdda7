import { describe, expect, it } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import { buildTopologyGraph } from '../../../../renderer/src/model/topology-graph';
import { elkGraph, layoutKey, NODE_HEIGHT, NODE_WIDTH, positionsOf } from '../../../../renderer/src/model/topology-layout';
import { hostSnapshot } from '../fixtures/host-snapshot';

describe('topology layout', () => {
  it('lays the graph out left to right as traffic leaves the host, with no two nodes overlapping', async () => {
    const graph = buildTopologyGraph(hostSnapshot());
    const positions = positionsOf(await new ELK().layout(elkGraph(graph)));
    expect([...positions.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    const x = (id: string) => positions.get(id)!.x;
    // tap → bridge, bridge → network, network → uplink (NAT)
    expect(x('link:kvtap0')).toBeLessThan(x('link:kvbr0'));
    expect(x('link:virbr0')).toBeLessThan(x('network:default'));
    expect(x('network:default')).toBeLessThan(x('link:eth0'));
    const boxes = [...positions.values()];
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const apart = Math.abs(a.x - b.x) >= NODE_WIDTH || Math.abs(a.y - b.y) >= NODE_HEIGHT;
        expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true);
      }
    }
  });

  it('keys the layout by nodes and edges only: new counters or states keep the picture still', () => {
    const snapshot = hostSnapshot();
    const key = layoutKey(buildTopologyGraph(snapshot));
    const changed = hostSnapshot();
    changed.links = changed.links.map((l) => ({ ...l, up: !l.up, stats: { rxBytes: 9, txBytes: 9, rxPackets: 1, txPackets: 1 } }));
    expect(layoutKey(buildTopologyGraph(changed, new Map([['eth0', { rxBytesPerSecond: 1, txBytesPerSecond: 1 }]])))).toBe(key);
    const grown = hostSnapshot();
    grown.links.push({ index: 30, name: 'kvtap2', kind: 'tap', master: 'kvbr0', mtu: 1500, up: true, operState: 'UP', addresses: [] });
    expect(layoutKey(buildTopologyGraph(grown))).not.toBe(key);
  });
});
