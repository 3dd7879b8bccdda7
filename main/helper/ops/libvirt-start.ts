import { readLibvirtNetwork, startNetwork } from '../libvirt-control';
import { requireKvmnetLibvirtNetwork, withLibvirt } from './libvirt-ownership';
import type { HostOp } from './op';

/** Starts a KVMNet libvirt network; one already running is left as it is. */
export const libvirtStart: HostOp<'libvirt.start'> = {
  check: (step, state) => requireKvmnetLibvirtNetwork(state, step.network),

  simulate: (step, state) => withLibvirt(state, step.network, (f) => ({ ...f, active: true })),

  async inverse(step, io) {
    const facts = await readLibvirtNetwork(io, step.network);
    return [{ ensure: 'libvirt.active', network: step.network, active: facts?.active ?? false }];
  },

  async run(step, io) {
    if ((await readLibvirtNetwork(io, step.network))?.active) return 'already running';
    await startNetwork(io, step.network);
    return undefined;
  },
};
