import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { HostCounters } from '../../../main/core/host-counters';
import { linkRates, type LinkRate } from '../model/link-rates';

/** Each link's current rate, from the last two counter samples main pushed (host:counters). */
export const useLinkRatesStore = defineStore('link-rates', () => {
  const previous = shallowRef<HostCounters | null>(null);
  const latest = shallowRef<HostCounters | null>(null);

  /** two diagrams watching get every sample twice, and a late one must not go back in time: only newer samples count */
  function record(sample: HostCounters): void {
    if (latest.value && Date.parse(sample.takenAt) <= Date.parse(latest.value.takenAt)) return;
    previous.value = latest.value;
    latest.value = sample;
  }

  const rates = computed<ReadonlyMap<string, LinkRate>>(() => (latest.value ? linkRates(previous.value, latest.value) : new Map()));

  return { latest, rates, record };
});
