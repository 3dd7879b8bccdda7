import { readLibvirtNetwork, setAutostart } from '../libvirt-control';
import { requireKvmnetLibvirtNetwork, withLibvirt } from './libvirt-ownership';
import type { HostOp } from './op';

/** Turns autostart of a KVMNet libvirt network on or off; the inverse restores the previous value. */
export const libvirtAutostart: HostOp<'libvirt.autostart'> = {
  check(step, state) {
    const refusal = requireKvmnetLibvirtNetwork(state, step.network);
    if (refusal) return refusal;
    if (!state.libvirt.get(step.network)!.persistent) {
      return { code: 'NOT_ALLOWED', field: 'network', message: `libvirt network ${step.network} is transient, so it has no autostart; define it first` };
    }
    return undefined;
  },

  simulate: (step, state) => withLibvirt(state, step.network, (f) => ({ ...f, autostart: step.enabled })),

  async inverse(step, io) {
    const facts = await readLibvirtNetwork(io, step.network);
    return [{ ensure: 'libvirt.autostart', network: step.network, enabled: facts?.autostart ?? false }];
  },

  async run(step, io) {
    if ((await readLibvirtNetwork(io, step.network))?.autostart === step.enabled) return `autostart was already ${step.enabled ? 'on' : 'off'}`;
    await setAutostart(io, step.network, step.enabled);
    return undefined;
  },
};
