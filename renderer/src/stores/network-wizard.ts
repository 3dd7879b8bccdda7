import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef, watch } from 'vue';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import type { FieldIssue } from '../../../main/core/network/field-issue';
import type { DraftCheck, PlanPreview } from '../../../main/ipc/network-channels';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';
import {
  ADVANCED_FIELDS, draftFromForm, emptyForm, formFieldOf, isVirtualNetworkForm, type FormField, type NetworkForm, type NetworkMode,
} from '../model/network-form';
import { useNetworksStore } from './networks';
import { useBridgedStore } from './bridged';
import { DEFAULT_CONFIRM_TIMEOUT_S } from '../../../main/core/bridge-to-lan/create-bridged-request';
import { useSettingsStore } from './settings';

export const WIZARD_STEPS = ['mode', 'settings', 'review', 'apply'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** the network name a bridge to the LAN gets when the user leaves it empty */
export const DEFAULT_BRIDGED_NAME = 'lan';
/** the confirmation time the CLI's create bridged allows (CreateBridgedRequest) */
export const CONFIRM_TIMEOUT = { default: DEFAULT_CONFIRM_TIMEOUT_S, min: 15, max: 3600 } as const;

/** how long typing may pause before the draft is checked again */
export const VALIDATE_DELAY_MS = 300;

/**
 * The New-network wizard: the form, its live check by the main process (the CLI's validator, with
 * this host's defaults), the plan to review and the run. Problems show on a field once the user
 * has typed in it or tried to go on, never on an untouched form.
 */
export const useNetworkWizardStore = defineStore('networkWizard', () => {
  const settings = useSettingsStore();
  const form = reactive<NetworkForm>(emptyForm(settings.backend));
  const step = ref<WizardStep>('mode');
  const check = shallowRef<DraftCheck | null>(null);
  const checking = ref(false);
  const checkError = shallowRef<KvmnetError | null>(null);
  const touched = reactive(new Set<FormField>());
  const attempted = ref(false);
  const advancedOpen = ref(false);
  const preview = shallowRef<PlanPreview | null>(null);
  const planning = ref(false);
  const planError = shallowRef<KvmnetError | null>(null);
  const exported = ref<string | null>(null);
  const exportError = shallowRef<KvmnetError | null>(null);
  let checkSeq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function validate(): Promise<void> {
    clearTimeout(timer);
    if (!isVirtualNetworkForm(form)) {
      check.value = null;
      return;
    }
    const seq = ++checkSeq;
    checking.value = true;
    try {
      const result = await kvmnetClient.invoke('networks:validate', { draft: draftFromForm(form) });
      // an older answer must not replace a newer one
      if (seq !== checkSeq) return;
      check.value = result;
      checkError.value = null;
    } catch (e) {
      if (seq === checkSeq) checkError.value = asKvmnetError(e);
    } finally {
      if (seq === checkSeq) checking.value = false;
    }
  }

  function scheduleValidate(): void {
    clearTimeout(timer);
    checking.value = true;
    timer = setTimeout(() => void validate(), VALIDATE_DELAY_MS);
  }

  watch(form, scheduleValidate, { deep: true });

  /** every problem, by the input it belongs to */
  const issues = computed(() => {
    const out: Partial<Record<FormField, FieldIssue[]>> = {};
    for (const issue of check.value?.issues ?? []) (out[formFieldOf(issue.field)] ??= []).push(issue);
    return out;
  });

  /** what a field shows: its problems once touched (or after a Next), none before */
  function fieldIssues(field: FormField): FieldIssue[] | undefined {
    if (!attempted.value && !touched.has(field)) return undefined;
    return issues.value[field];
  }

  function touch(field: FormField): void {
    touched.add(field);
  }

  const nameMissing = computed(() => form.name.trim() === '');
  const settingsValid = computed(() => !nameMissing.value && !checking.value && check.value !== null && check.value.issues.length === 0);

  function setMode(mode: NetworkMode): void {
    form.mode = mode;
  }

  async function next(): Promise<boolean> {
    if (step.value === 'mode') {
      step.value = 'settings';
      return true;
    }
    if (step.value === 'settings') {
      attempted.value = true;
      if (form.mode === 'bridged') {
        if (!form.uplink || !confirmTimeoutValid.value) return false;
        step.value = 'review';
        await useBridgedStore().loadPreview(bridgedRequest());
        return true;
      }
      await validate();
      if (!settingsValid.value) {
        if (ADVANCED_FIELDS.some((f) => issues.value[f])) advancedOpen.value = true;
        return false;
      }
      step.value = 'review';
      await loadPlan();
      return true;
    }
    return false;
  }

  function back(): void {
    const at = WIZARD_STEPS.indexOf(step.value);
    if (step.value === 'apply' || at <= 0) return;
    step.value = WIZARD_STEPS[at - 1] ?? 'mode';
  }

  async function loadPlan(): Promise<void> {
    if (!isVirtualNetworkForm(form)) return;
    planning.value = true;
    planError.value = null;
    preview.value = null;
    try {
      preview.value = await kvmnetClient.invoke('networks:plan', { draft: draftFromForm(form) });
    } catch (e) {
      planError.value = asKvmnetError(e);
    } finally {
      planning.value = false;
    }
  }

  async function exportScript(): Promise<void> {
    if (!isVirtualNetworkForm(form)) return;
    exportError.value = null;
    try {
      exported.value = (await kvmnetClient.invoke('networks:export-script', { draft: draftFromForm(form) })).path;
    } catch (e) {
      exportError.value = asKvmnetError(e);
    }
  }

  const confirmTimeoutSeconds = computed(() => {
    const text = form.confirmTimeout.trim();
    return text === '' ? CONFIRM_TIMEOUT.default : /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  });
  const confirmTimeoutValid = computed(() => confirmTimeoutSeconds.value >= CONFIRM_TIMEOUT.min && confirmTimeoutSeconds.value <= CONFIRM_TIMEOUT.max);

  /** the bridged mode's request, as `kvmnet create bridged <name> --uplink <uplink> --confirm-timeout <s>` takes it */
  function bridgedRequest() {
    return { name: form.name.trim() || DEFAULT_BRIDGED_NAME, uplink: form.uplink, confirmTimeoutSeconds: confirmTimeoutSeconds.value };
  }

  async function apply(): Promise<void> {
    if (form.mode === 'bridged') {
      step.value = 'apply';
      await useBridgedStore().create(bridgedRequest());
      return;
    }
    if (!isVirtualNetworkForm(form) || !preview.value) return;
    step.value = 'apply';
    await useNetworksStore().create(draftFromForm(form), preview.value.spec.name, preview.value.steps);
  }

  function reset(): void {
    Object.assign(form, emptyForm(settings.backend));
    step.value = 'mode';
    check.value = null;
    checkError.value = null;
    touched.clear();
    attempted.value = false;
    advancedOpen.value = false;
    preview.value = null;
    planError.value = null;
    exported.value = null;
    exportError.value = null;
    useNetworksStore().clearRun();
    useBridgedStore().reset();
  }

  return {
    form, step, check, checking, checkError, issues, attempted, advancedOpen, preview, planning, planError, exported, exportError,
    nameMissing, settingsValid, confirmTimeoutValid, fieldIssues, touch, setMode, validate, next, back, loadPlan, exportScript, bridgedRequest, apply, reset,
  };
});
