import type { Plan } from '../../helper/protocol';
import { networkName, type KvmnetNetwork } from './plan-context';

/**
 * Whether a network comes back at boot. libvirt keeps that flag itself (`virsh net-autostart`);
 * a direct network keeps it in its record, which the boot unit reads, so the record is rewritten
 * with the new flag. A plan with no steps means the flag already has that value.
 */
export function planAutostart(network: KvmnetNetwork, enabled: boolean): Plan {
  const description = `${enabled ? 'enable' : 'disable'} autostart of network ${networkName(network)}`;
  if (network.backend === 'libvirt') {
    return { description, steps: network.network.autostart === enabled ? [] : [{ op: 'libvirt.autostart', network: network.network.name, enabled }] };
  }
  const { record } = network;
  if (record.spec.autostart === enabled) return { description, steps: [] };
  return { description, steps: [{ op: 'record.write', record: { ...record, spec: { ...record.spec, autostart: enabled } } }] };
}
