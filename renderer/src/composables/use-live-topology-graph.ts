import { shallowRef, watch, type ShallowRef } from 'vue';
import { buildTopologyGraph, type TopologyGraph } from '../model/topology-graph';
import { useHostStore } from '../stores/host';
import { useLinkRatesStore } from '../stores/link-rates';

/**
 * The pushed snapshots as a graph, with each link's rate from the counters feed (see
 * useCountersFeed, which the diagram runs). Null before the first snapshot arrives.
 */
export function useLiveTopologyGraph(): ShallowRef<TopologyGraph | null> {
  const host = useHostStore();
  const counters = useLinkRatesStore();
  const graph = shallowRef<TopologyGraph | null>(null);
  watch(
    () => [host.snapshot, counters.rates] as const,
    ([snapshot, rates]) => {
      graph.value = snapshot ? buildTopologyGraph(snapshot, rates) : null;
    },
    { immediate: true },
  );
  return graph;
}
