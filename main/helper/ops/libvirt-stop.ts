import { readLibvirtNetwork, stopNetwork } from '../libvirt-control';
import { requireKvmnetLibvirtNetwork, withLibvirt } from './libvirt-ownership';
import type { HostOp } from './op';

/**
 * Stops (net-destroy) a KVMNet libvirt network; one already stopped is left as it is. A transient
 * network would disappear for good, so it is refused: KVMNet defines its networks persistently.
 */
export const libvirtStop: HostOp<'libvirt.stop'> = {
  check(step, state) {
    const refusal = requireKvmnetLibvirtNetwork(state, step.network);
    if (refusal) return refusal;
    if (!state.libvirt.get(step.network)!.persistent) {
      return { code: 'NOT_ALLOWED', field: 'network', message: `libvirt network ${step.network} is transient: stopping it would delete it, and that could not be undone` };
    }
    return undefined;
  },

  simulate: (step, state) => withLibvirt(state, step.network, (f) => ({ ...f, active: false })),

  async inverse(step, io) {
    const facts = await readLibvirtNetwork(io, step.network);
    return [{ ensure: 'libvirt.active', network: step.network, active: facts?.active ?? false }];
  },

  async run(step, io) {
    if (!(await readLibvirtNetwork(io, step.network))?.active) return 'already stopped';
    await stopNetwork(io, step.network);
    return undefined;
  },
};
