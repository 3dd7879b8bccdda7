import type { NicSource } from '../../core/attach/nic-source';
import { requireNetworkBridge } from '../ownership';
import type { PlanState } from '../plan-state';
import { requireKvmnetLibvirtNetwork } from './libvirt-ownership';
import type { Refusal } from './op';

/**
 * A domain NIC step may plug into, or unplug from, only the network's own source: the KVMNet
 * libvirt network of that name, or the bridge of the KVMNet direct network of that name.
 */
export function requireNetworkSource(state: PlanState, network: string, source: NicSource): Refusal | undefined {
  if (source.type === 'bridge') return requireNetworkBridge(state.links, source.bridge, network, 'source.bridge');
  if (source.network !== network) {
    return { code: 'NOT_ALLOWED', field: 'source.network', message: `the source ${source.network} is not the libvirt network of ${network}` };
  }
  return requireKvmnetLibvirtNetwork(state, network);
}
