import { shallowRef, watch, type ShallowRef } from 'vue';
import { linkRates } from '../model/link-rates';
import { buildTopologyGraph, type TopologyGraph } from '../model/topology-graph';
import { useHostStore } from '../stores/host';

/**
 * The pushed snapshots as a graph, with each link's rate measured between the last two of them.
 * Null before the first snapshot arrives.
 */
export function useLiveTopologyGraph(): ShallowRef<TopologyGraph | null> {
  const host = useHostStore();
  const graph = shallowRef<TopologyGraph | null>(null);
  watch(
    () => host.snapshot,
    (next, previous) => {
      graph.value = next ? buildTopologyGraph(next, linkRates(previous ?? null, next)) : null;
    },
    { immediate: true },
  );
  return graph;
}
