import type { LibvirtState, PlanState } from '../plan-state';
import type { Refusal } from './op';

/** libvirt networks the helper may change: those carrying KVMNet's metadata, now or after an earlier step of the plan. */
export function requireKvmnetLibvirtNetwork(state: PlanState, network: string): Refusal | undefined {
  const facts = state.libvirt.get(network);
  if (!facts) return { code: 'NOT_OWNED', field: 'network', message: `libvirt has no network ${network} and no earlier step of the plan defines it` };
  if (!facts.managedByKvmnet) {
    return { code: 'NOT_OWNED', field: 'network', message: `the libvirt network ${network} was not defined by KVMNet (it has no KVMNet metadata); KVMNet only shows it` };
  }
  return undefined;
}

/** the state with one network changed; `update` returning undefined means the network is gone */
export function withLibvirt(state: PlanState, network: string, update: (facts: LibvirtState) => LibvirtState | undefined): PlanState {
  const facts = state.libvirt.get(network);
  if (!facts) return state;
  const libvirt = new Map(state.libvirt);
  const next = update(facts);
  if (next) libvirt.set(network, next);
  else libvirt.delete(network);
  return { ...state, libvirt };
}
