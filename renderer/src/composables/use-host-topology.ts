import { computed, type ComputedRef } from 'vue';
import { buildTopology, type HostTopology } from '../model/host-topology';
import { useHostStore } from '../stores/host';

/** The live snapshot as a topology, or null before the first snapshot arrives. */
export function useHostTopology(): ComputedRef<HostTopology | null> {
  const host = useHostStore();
  return computed(() => (host.snapshot ? buildTopology(host.snapshot) : null));
}
