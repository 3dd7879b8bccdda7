import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import type { NetworkList, RunProgress, RunResult } from '../../../main/ipc/network-channels';
import type { Step } from '../../../main/helper/protocol';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';
import { useHostStore } from './host';
import { applyProgress } from './run-progress';

export type NetworkAction = 'create' | 'delete' | 'start' | 'stop' | 'autostart' | GuestAction;
/** changes to a network's guests (network-guests store) */
export type GuestAction = 'attach' | 'detach' | 'attachVm' | 'detachVm' | 'forward' | 'unforward' | 'reserve' | 'unreserve';
export type StepState = RunProgress['status'] | 'pending';

/** One change as the UI follows it: the steps as the main process reports them, then how it ended. */
export interface NetworkRun {
  id: string;
  action: NetworkAction;
  network: string;
  steps: Step[];
  states: StepState[];
  /** what a failing step said */
  messages: string[];
  result: RunResult | null;
  error: KvmnetError | null;
}

/** a list read after the host changed is coalesced: one read per burst of pushed snapshots */
const REFRESH_DELAY_MS = 250;
let runCounter = 0;
const newRunId = (): string => `run-${Date.now().toString(36)}-${++runCounter}`;

/** The host's networks, KVMNet's and libvirt's, read again whenever the host changes. */
export const useNetworksStore = defineStore('networks', () => {
  const list = shallowRef<NetworkList | null>(null);
  const loading = ref(false);
  const error = shallowRef<KvmnetError | null>(null);
  const run = ref<NetworkRun | null>(null);
  let unsubscribe: (() => void) | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  let stopWatching: (() => void) | undefined;

  async function load(): Promise<void> {
    loading.value = true;
    try {
      list.value = await kvmnetClient.invoke('networks:list');
      error.value = null;
    } catch (e) {
      error.value = asKvmnetError(e);
    } finally {
      loading.value = false;
    }
  }

  function onProgress(progress: RunProgress): void {
    applyProgress(run.value, progress);
  }

  /** Subscribes to progress and to host changes once; views call it when they open. */
  function start(): Promise<void> {
    if (!unsubscribe) {
      try {
        unsubscribe = kvmnetClient.on('networks:progress', onProgress);
      } catch (e) {
        error.value = asKvmnetError(e);
        return Promise.resolve();
      }
      const host = useHostStore();
      stopWatching = watch(() => host.updates, () => {
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void load(), REFRESH_DELAY_MS);
      });
    }
    return load();
  }

  /** Runs one change; the run stays in `run` (progress, then result) until the next one starts. */
  async function change(action: NetworkAction, network: string, call: (runId: string) => Promise<RunResult>, planned: Step[] = []): Promise<RunResult | null> {
    const id = newRunId();
    run.value = { id, action, network, steps: [...planned], states: planned.map(() => 'pending'), messages: planned.map(() => ''), result: null, error: null };
    try {
      const result = await call(id);
      const current = run.value;
      if (current?.id === id) {
        if (result.steps.length > 0) {
          current.steps = result.steps;
          if (current.states.length !== result.steps.length) current.states = result.steps.map(() => 'pending');
          if (current.messages.length !== result.steps.length) current.messages = result.steps.map(() => '');
        }
        if (result.status === 'done') current.states = current.states.map(() => 'done');
        current.result = result;
      }
      await load();
      return result;
    } catch (e) {
      if (run.value?.id === id) run.value.error = asKvmnetError(e);
      return null;
    }
  }

  const create = (draft: Record<string, unknown>, name: string, planned: Step[]) =>
    change('create', name, (runId) => kvmnetClient.invoke('networks:create', { runId, draft }), planned);
  const remove = (name: string) => change('delete', name, (runId) => kvmnetClient.invoke('networks:delete', { runId, name }));
  const startNetwork = (name: string) => change('start', name, (runId) => kvmnetClient.invoke('networks:start', { runId, name }));
  const stopNetwork = (name: string) => change('stop', name, (runId) => kvmnetClient.invoke('networks:stop', { runId, name }));
  const setAutostart = (name: string, enabled: boolean) =>
    change('autostart', name, (runId) => kvmnetClient.invoke('networks:autostart', { runId, name, enabled }));

  function clearRun(): void {
    run.value = null;
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = undefined;
    stopWatching?.();
    stopWatching = undefined;
    clearTimeout(refreshTimer);
  }

  const networks = computed(() => list.value?.networks ?? []);
  const busy = computed(() => run.value !== null && run.value.result === null && run.value.error === null);
  const byName = (name: string) => networks.value.find((n) => n.name === name);

  return { list, networks, loading, error, run, busy, load, start, stop, byName, create, remove, startNetwork, stopNetwork, setAutostart, clearRun, change };
});
