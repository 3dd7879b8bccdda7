import type { ElkNode } from 'elkjs/lib/elk-api';
import type { TopologyGraph } from './topology-graph';

/** Every node is drawn at one size, so the layout needs no measuring pass in the DOM. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 60;

/** the User Timing entry each layout leaves, from the graph handed over to the positions back */
export const LAYOUT_MEASURE = 'kvmnet:topology-layout';

export interface Point {
  x: number;
  y: number;
}

/** Runs ELK somewhere (a web worker in the app, the same thread in tests). */
export interface LayoutEngine {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/**
 * Left to right as traffic leaves the host: guests, their taps, bridges, networks, then the
 * uplinks. Unconnected parts (a lone NIC, a veth pair) are packed beside each other instead of in
 * one long column. Keeping the model's node order (considerModelOrder) made 500 nodes take 5 to 8
 * times longer to lay out, so the crossing minimisation chooses the order.
 */
const LAYOUT_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.spacing.nodeNodeBetweenLayers': '84',
  'elk.spacing.nodeNode': '22',
  'elk.spacing.componentComponent': '48',
  'elk.separateConnectedComponents': 'true',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.aspectRatio': '2.2',
  'elk.padding': '[top=24,left=24,bottom=24,right=24]',
};

export function elkGraph(graph: TopologyGraph): ElkNode {
  return {
    id: 'host',
    layoutOptions: LAYOUT_OPTIONS,
    children: graph.nodes.map((n) => ({ id: n.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
}

export function positionsOf(laidOut: ElkNode): Map<string, Point> {
  return new Map((laidOut.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}

/**
 * The layout depends only on which nodes and edges exist: a change of counters or state keeps the
 * picture still, and only a new or removed element lays it out again.
 */
export function layoutKey(graph: TopologyGraph): string {
  return `${graph.nodes.map((n) => n.id).join('\n')}\n\n${graph.edges.map((e) => e.id).join('\n')}`;
}
