import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PrivilegeState } from '../../../main/core/privilege-state';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';

/** Whether this session has its root helper; changes come from the main process, never guessed here. */
export const usePrivilegeStore = defineStore('privilege', () => {
  const state = shallowRef<PrivilegeState>({ status: 'read-only' });
  const error = shallowRef<KvmnetError | null>(null);
  /** true while this window waits for an elevate call it made */
  const requesting = ref(false);
  let unsubscribe: (() => void) | undefined;

  async function start(): Promise<void> {
    try {
      unsubscribe ??= kvmnetClient.on('privilege:changed', (next) => { state.value = next; });
      state.value = await kvmnetClient.invoke('privilege:state');
      error.value = null;
    } catch (e) {
      error.value = asKvmnetError(e);
    }
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = undefined;
  }

  /** A refusal is a state, not an error: the main process resolves with it and the app stays read-only. */
  async function elevate(): Promise<void> {
    if (requesting.value || state.value.status === 'elevated') return;
    requesting.value = true;
    error.value = null;
    try {
      state.value = await kvmnetClient.invoke('privilege:elevate');
    } catch (e) {
      error.value = asKvmnetError(e);
    } finally {
      requesting.value = false;
    }
  }

  const elevated = computed(() => state.value.status === 'elevated');
  const busy = computed(() => requesting.value || state.value.status === 'elevating');

  return { state, error, requesting, elevated, busy, start, stop, elevate };
});
