import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { CheckId } from '../../../main/core/doctor/doctor-report';
import type { DoctorView, FixOutcome, FixProgress } from '../../../main/core/doctor/doctor-view';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';
import { usePrivilegeStore } from './privilege';

/** what the last fix or undo of a check came to, shown under that check */
export interface FixResult {
  kind: 'fix' | 'undo';
  /** no-rights: administrator rights were not granted, so nothing ran */
  status: FixOutcome['status'] | 'no-rights';
  message: string;
}

/**
 * The network doctor's latest report. Main re-checks by itself after network changes and pushes
 * the new report; fixes are asked for by check id and run by main through the session's helper,
 * after asking for administrator rights when the session has none.
 */
export const useDoctorStore = defineStore('doctor', () => {
  const view = shallowRef<DoctorView | null>(null);
  const loading = ref(false);
  const error = shallowRef<KvmnetError | null>(null);
  /** the check whose fix (or undo) runs now */
  const applying = ref<CheckId | null>(null);
  const progress = shallowRef<FixProgress | null>(null);
  const results = ref<Partial<Record<CheckId, FixResult>>>({});
  /** counts re-checks main pushed after a network change */
  const pushed = ref(0);
  let unsubscribe: (() => void) | undefined;

  /** a reply to an older request must not overwrite a newer pushed report */
  function accept(next: DoctorView): void {
    if (view.value && Date.parse(next.checkedAt) < Date.parse(view.value.checkedAt)) return;
    view.value = next;
    error.value = null;
  }

  async function run(): Promise<void> {
    loading.value = true;
    try {
      accept(await kvmnetClient.invoke('doctor:run'));
    } catch (e) {
      error.value = asKvmnetError(e);
    } finally {
      loading.value = false;
    }
  }

  /** subscribes before the first run so that no re-check between the two is lost */
  async function start(): Promise<void> {
    if (!unsubscribe) {
      try {
        const stops = [
          kvmnetClient.on('doctor:changed', (next) => {
            accept(next);
            pushed.value++;
          }),
          kvmnetClient.on('doctor:progress', (next) => {
            if (next.id === applying.value) progress.value = next;
          }),
        ];
        unsubscribe = () => stops.forEach((stop) => stop());
      } catch (e) {
        error.value = asKvmnetError(e);
        return;
      }
    }
    await run();
  }

  function stop(): void {
    unsubscribe?.();
    unsubscribe = undefined;
  }

  async function change(id: CheckId, kind: FixResult['kind']): Promise<void> {
    if (applying.value) return;
    const privilege = usePrivilegeStore();
    applying.value = id;
    progress.value = null;
    Reflect.deleteProperty(results.value, id);
    try {
      if (!privilege.elevated) await privilege.elevate();
      if (!privilege.elevated) {
        const reason = privilege.state.status === 'refused' ? privilege.state.message : (privilege.error?.message ?? privilege.state.status);
        results.value = { ...results.value, [id]: { kind, status: 'no-rights', message: reason } };
        return;
      }
      const outcome = await kvmnetClient.invoke(kind === 'fix' ? 'doctor:fix' : 'doctor:undo', { id });
      accept(outcome.view);
      results.value = { ...results.value, [id]: { kind, status: outcome.status, message: outcome.message } };
    } catch (e) {
      results.value = { ...results.value, [id]: { kind, status: 'failed', message: asKvmnetError(e).message } };
    } finally {
      applying.value = null;
      progress.value = null;
    }
  }

  const fix = (id: CheckId) => change(id, 'fix');
  const undo = (id: CheckId) => change(id, 'undo');

  const counts = computed(() => {
    const checks = view.value?.report.checks ?? [];
    return { fail: checks.filter((c) => c.status === 'fail').length, warn: checks.filter((c) => c.status === 'warn').length, ok: checks.filter((c) => c.status === 'ok').length };
  });

  return { view, loading, error, applying, progress, results, pushed, counts, run, start, stop, fix, undo };
});
