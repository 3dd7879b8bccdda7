import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { HostSnapshot } from '../../../main/core/host-snapshot';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';

/** The host's networking as the main process last read it, kept current by pushed snapshots. */
export const useHostStore = defineStore('host', () => {
  const snapshot = shallowRef<HostSnapshot | null>(null);
  const loading = ref(false);
  const error = shallowRef<KvmnetError | null>(null);
  /** when this window last received a snapshot (not when the host changed) */
  const receivedAt = ref<Date | null>(null);
  /** counts pushed updates, so the UI can flash its live indicator */
  const updates = ref(0);
  const live = ref(false);
  let unsubscribe: (() => void) | undefined;

  /** A reply to an older request must not overwrite a newer pushed snapshot. */
  function apply(next: HostSnapshot): boolean {
    const current = snapshot.value;
    if (current && Date.parse(next.takenAt) < Date.parse(current.takenAt)) return false;
    snapshot.value = next;
    receivedAt.value = new Date();
    error.value = null;
    return true;
  }

  async function load(): Promise<void> {
    loading.value = true;
    try {
      apply(await kvmnetClient.invoke('host:snapshot'));
    } catch (e) {
      error.value = asKvmnetError(e);
    } finally {
      loading.value = false;
    }
  }

  /** Subscribes before loading so that no change between the two is lost. */
  async function start(): Promise<void> {
    if (!unsubscribe) {
      try {
        unsubscribe = kvmnetClient.on('host:changed', (next) => {
          if (apply(next)) updates.value++;
        });
        live.value = true;
      } catch (e) {
        error.value = asKvmnetError(e);
        return;
      }
    }
    await load();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = undefined;
    live.value = false;
  }

  const hostname = computed(() => snapshot.value?.hostname ?? null);

  return { snapshot, loading, error, receivedAt, updates, live, hostname, apply, load, start, stop };
});
