import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import type { CreateBridgedRequest } from '../../../main/core/bridge-to-lan/create-bridged-request';
import type {
  BridgedCreateResult, BridgedDeleteResult, BridgedEnded, BridgedEntry, BridgedList, BridgedPending, BridgedPreview, BridgedProgress,
} from '../../../main/ipc/bridged-channels';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';
import type { NetworkRun } from './networks';
import { applyProgress } from './run-progress';

let runCounter = 0;
const newRunId = (): string => `bridged-${Date.now().toString(36)}-${++runCounter}`;

/**
 * Bridges to the LAN: the plan the wizard reviews, the create as it runs (its steps, then the
 * checks), the change that waits for the user's Keep with its deadline, and how it ended. Main
 * pushes every change (bridged:progress, bridged:changed, bridged:ended); the countdown on screen
 * is derived from the deadline.
 */
export const useBridgedStore = defineStore('bridged', () => {
  const bridges = shallowRef<BridgedEntry[]>([]);
  const preview = shallowRef<BridgedPreview | null>(null);
  const previewing = ref(false);
  const previewError = shallowRef<KvmnetError | null>(null);
  /** the apply's steps as RunProgress shows them */
  const run = ref<NetworkRun | null>(null);
  const result = shallowRef<BridgedCreateResult | null>(null);
  /** the change waiting for Keep, until it ends */
  const pending = shallowRef<BridgedPending | null>(null);
  const ended = shallowRef<BridgedEnded | null>(null);
  /** how a waiting change ended that was kept or undone from the Networks page */
  const lastEnded = shallowRef<BridgedEnded | null>(null);
  /** Keep or Undo now was pressed and main is at it */
  const resolving = ref<'keep' | 'undo' | null>(null);
  const resolveError = shallowRef<KvmnetError | null>(null);
  const deleting = ref<string | null>(null);
  const deleteResult = shallowRef<BridgedDeleteResult | null>(null);
  const deleteError = shallowRef<KvmnetError | null>(null);
  let stops: (() => void)[] = [];
  let previewSeq = 0;

  /** the apply's steps; a rollback after a failed check is told by the result instead */
  function onProgress(progress: BridgedProgress): void {
    if (progress.phase === 'apply') applyProgress(run.value, progress);
  }

  function onEnded(value: BridgedEnded): void {
    if (pending.value && pending.value.network === value.network && pending.value.armId === value.armId) {
      ended.value = value;
      pending.value = null;
    }
  }

  async function load(): Promise<void> {
    try {
      bridges.value = (await kvmnetClient.invoke('bridged:list')).bridges;
    } catch {
      // the list is a convenience on the Networks page; the wizard works without it
    }
  }

  /** subscribes to main's pushes once; views call it when they open */
  function start(): Promise<void> {
    if (stops.length === 0) {
      try {
        stops = [
          kvmnetClient.on('bridged:progress', onProgress),
          kvmnetClient.on('bridged:changed', (list: BridgedList) => { bridges.value = list.bridges; }),
          kvmnetClient.on('bridged:ended', onEnded),
        ];
      } catch {
        return Promise.resolve();
      }
    }
    return load();
  }

  async function loadPreview(request: CreateBridgedRequest): Promise<void> {
    const seq = ++previewSeq;
    previewing.value = true;
    previewError.value = null;
    preview.value = null;
    try {
      const value = await kvmnetClient.invoke('bridged:plan', { request });
      if (seq === previewSeq) preview.value = value;
    } catch (e) {
      if (seq === previewSeq) previewError.value = asKvmnetError(e);
    } finally {
      if (seq === previewSeq) previewing.value = false;
    }
  }

  async function create(request: CreateBridgedRequest): Promise<void> {
    const planned = preview.value?.status === 'ready' ? preview.value.steps : [];
    const id = newRunId();
    run.value = { id, action: 'create', network: request.name, steps: [...planned], states: planned.map(() => 'pending'), messages: planned.map(() => ''), result: null, error: null };
    result.value = null;
    pending.value = null;
    ended.value = null;
    resolveError.value = null;
    try {
      const value = await kvmnetClient.invoke('bridged:create', { runId: id, request });
      result.value = value;
      const current = run.value;
      if (current?.id === id && 'run' in value) {
        current.steps = value.run.steps;
        if (current.states.length !== value.run.steps.length) current.states = value.run.steps.map(() => 'pending');
        if (value.run.status === 'done') current.states = current.states.map(() => 'done');
        current.result = value.run;
      }
      if (value.status === 'pending') pending.value = value.pending;
    } catch (e) {
      if (run.value?.id === id) run.value.error = asKvmnetError(e);
    }
  }

  async function resolve(keep: boolean): Promise<void> {
    const waiting = pending.value;
    if (!waiting || resolving.value) return;
    await resolveNetwork(waiting.network, keep);
  }

  /** Keep or Undo now for any waiting change, also one the CLI (--no-wait) or an earlier window left */
  async function resolveNetwork(network: string, keep: boolean): Promise<void> {
    if (resolving.value) return;
    const waiting = pending.value?.network === network ? pending.value : null;
    resolving.value = keep ? 'keep' : 'undo';
    resolveError.value = null;
    try {
      const value = await kvmnetClient.invoke(keep ? 'bridged:confirm' : 'bridged:rollback', { name: network });
      if (!waiting) {
        lastEnded.value = value.status === 'ended' ? value.ended : { network, armId: '', outcome: value.lastOutcome ?? 'unknown', cause: value.lastOutcome === 'confirmed' ? 'kept' : 'timeout' };
        return;
      }
      if (value.status === 'ended') onEnded(value.ended);
      else if (pending.value?.armId === waiting.armId) {
        // it had ended already, by its deadline or from another terminal
        ended.value = { network: waiting.network, armId: waiting.armId, outcome: value.lastOutcome ?? 'unknown', cause: value.lastOutcome === 'confirmed' ? 'kept' : 'timeout' };
        pending.value = null;
      }
    } catch (e) {
      resolveError.value = asKvmnetError(e);
    } finally {
      resolving.value = null;
    }
  }

  async function remove(name: string): Promise<void> {
    deleting.value = name;
    deleteResult.value = null;
    deleteError.value = null;
    try {
      deleteResult.value = await kvmnetClient.invoke('bridged:delete', { runId: newRunId(), name });
    } catch (e) {
      deleteError.value = asKvmnetError(e);
    } finally {
      deleting.value = null;
    }
  }

  function reset(): void {
    previewSeq++;
    preview.value = null;
    previewing.value = false;
    previewError.value = null;
    run.value = null;
    result.value = null;
    ended.value = null;
    resolveError.value = null;
  }

  function stop(): void {
    stops.forEach((s) => s());
    stops = [];
  }

  const busy = computed(() => run.value !== null && result.value === null && run.value.error === null);
  /** all steps ran and main is checking the gateway and DNS */
  const verifying = computed(() => busy.value && !!run.value && run.value.states.length > 0 && run.value.states.every((s) => s === 'done'));

  return {
    bridges, preview, previewing, previewError, run, result, pending, ended, lastEnded, resolving, resolveError, deleting, deleteResult, deleteError, busy, verifying,
    start, stop, load, loadPreview, create, keep: () => resolve(true), undo: () => resolve(false), resolveNetwork, remove, reset,
  };
});
