import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { KvmnetError } from '../../../main/core/kvmnet-error';
import type { FieldIssue } from '../../../main/core/network/field-issue';
import type { AttachedGuest, AttachedVm, GuestChange, GuestDetails } from '../../../main/ipc/guest-channels';
import type { RunResult } from '../../../main/ipc/network-channels';
import { asKvmnetError, kvmnetClient } from '../ipc/kvmnet-client';
import { useHostStore } from './host';
import { useNetworksStore, type GuestAction } from './networks';

/** a read after the host changed is coalesced: one read per burst of pushed snapshots */
const REFRESH_DELAY_MS = 300;

/** What a form's change came to: its problems (nothing ran), or how the run ended. */
export interface FormOutcome {
  issues: FieldIssue[];
  result: RunResult | null;
  unreservedTarget?: string | undefined;
}

/**
 * The guests of the network the detail page shows: its taps, leases, port forwards and DHCP
 * reservations, read again when main pushes a host change and after each change made here.
 * Changes run as the networks store's runs, so the page's progress panel follows them.
 */
export const useNetworkGuestsStore = defineStore('networkGuests', () => {
  const network = ref<string | null>(null);
  const details = shallowRef<GuestDetails | null>(null);
  const error = shallowRef<KvmnetError | null>(null);
  let stopWatching: (() => void) | undefined;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  async function load(): Promise<void> {
    const name = network.value;
    if (name === null) return;
    try {
      const read = await kvmnetClient.invoke('guests:details', { name });
      if (network.value !== name) return;
      details.value = read;
      error.value = null;
    } catch (e) {
      if (network.value === name) error.value = asKvmnetError(e);
    }
  }

  /** Follows one network until close(); the page calls it when it opens. */
  function open(name: string): Promise<void> {
    if (network.value !== name) {
      network.value = name;
      details.value = null;
      error.value = null;
    }
    if (!stopWatching) {
      const host = useHostStore();
      stopWatching = watch(() => host.updates, () => {
        clearTimeout(refreshTimer);
        refreshTimer = setTimeout(() => void load(), REFRESH_DELAY_MS);
      });
    }
    return load();
  }

  function close(): void {
    stopWatching?.();
    stopWatching = undefined;
    clearTimeout(refreshTimer);
    network.value = null;
    details.value = null;
  }

  /** a form's change: field problems come back without a run, and the progress panel is left as it was */
  async function formChange(action: GuestAction, name: string, call: (runId: string) => Promise<GuestChange>): Promise<FormOutcome> {
    const networks = useNetworksStore();
    const previous = networks.run;
    let answer: GuestChange | null = null;
    const result = await networks.change(action, name, async (runId) => {
      answer = await call(runId);
      return answer.result ?? { status: 'nothing-to-do', steps: [], rolledBack: [], left: [] };
    });
    const change = answer as GuestChange | null;
    if (change && change.result === null) networks.run = previous;
    await load();
    if (!change) return { issues: [], result };
    return { issues: change.issues, result: change.result, unreservedTarget: change.unreservedTarget };
  }

  /** makes a tap the desktop user owns; null when the call itself failed (the progress panel says why) */
  async function attach(name: string, model: string, mac: string): Promise<AttachedGuest | null> {
    const networks = useNetworksStore();
    let attached: AttachedGuest | null = null;
    await networks.change('attach', name, async (runId) => {
      attached = await kvmnetClient.invoke('guests:attach', { runId, name, model: model as AttachedGuest['model'], ...(mac.trim() && { mac }) });
      return attached.result;
    });
    await load();
    return attached;
  }

  async function detach(name: string, tap: string): Promise<RunResult | null> {
    const result = await useNetworksStore().change('detach', name, (runId) => kvmnetClient.invoke('guests:detach', { runId, name, tap }));
    await load();
    return result;
  }

  /** adds a NIC on the network to a libvirt domain; null when the call itself failed (the progress panel says why) */
  async function attachVm(name: string, domain: string, model: string, mac: string): Promise<AttachedVm | null> {
    let attached: AttachedVm | null = null;
    await useNetworksStore().change('attachVm', name, async (runId) => {
      attached = await kvmnetClient.invoke('guests:attach-vm', { runId, name, domain, model: model as AttachedVm['model'], ...(mac.trim() && { mac }) });
      return attached.result;
    });
    await load();
    return attached;
  }

  async function detachVm(name: string, domain: string, mac: string): Promise<RunResult | null> {
    const result = await useNetworksStore().change('detachVm', name, (runId) => kvmnetClient.invoke('guests:detach-vm', { runId, name, domain, mac }));
    await load();
    return result;
  }

  const addForward = (name: string, form: { proto: string; hostPort: string; to: string; hostIp: string }) =>
    formChange('forward', name, (runId) => kvmnetClient.invoke('forwards:add', { runId, name, proto: form.proto, hostPort: form.hostPort, to: form.to, ...(form.hostIp.trim() && { hostIp: form.hostIp }) }));
  const removeForward = (name: string, key: { proto: string; hostPort: string; hostIp?: string | undefined }) =>
    formChange('unforward', name, (runId) => kvmnetClient.invoke('forwards:remove', { runId, name, ...key }));
  const reserve = (name: string, form: { mac: string; ip: string; host: string }) =>
    formChange('reserve', name, (runId) => kvmnetClient.invoke('reservations:add', { runId, name, mac: form.mac, ip: form.ip, ...(form.host.trim() && { host: form.host }) }));
  const unreserve = (name: string, mac: string) =>
    formChange('unreserve', name, (runId) => kvmnetClient.invoke('reservations:remove', { runId, name, mac }));

  return { network, details, error, open, close, load, attach, detach, attachVm, detachVm, addForward, removeForward, reserve, unreserve };
});
