import { liveDhcpHostPresent, setLiveDhcpHost } from '../libvirt-dhcp-hosts';
import { requireKvmnetLibvirtNetwork } from './libvirt-ownership';
import type { HostOp } from './op';

/**
 * Adds or removes one reservation in a running KVMNet libvirt network (never a foreign one). The
 * inverse restores whether that MAC had a reservation before.
 */
export const libvirtDhcpHost: HostOp<'libvirt.dhcpHost'> = {
  check(step, state) {
    const refusal = requireKvmnetLibvirtNetwork(state, step.network);
    if (refusal) return refusal;
    if (!state.libvirt.get(step.network)?.active) {
      return { code: 'NOT_ALLOWED', field: 'network', message: `libvirt network ${step.network} is not running; its definition alone holds the reservation (libvirt.define)` };
    }
    return undefined;
  },

  simulate: (_step, state) => state,

  async inverse(step, io) {
    return [{ ensure: 'libvirt.dhcpHost', network: step.network, host: step.host, present: await liveDhcpHostPresent(io, step.network, step.host) }];
  },

  async run(step, io) {
    if ((await liveDhcpHostPresent(io, step.network, step.host)) === step.present) return 'already so';
    await setLiveDhcpHost(io, step.network, step.host, step.present);
    return `${step.present ? 'added' : 'removed'} ${step.host.mac}`;
  },
};
