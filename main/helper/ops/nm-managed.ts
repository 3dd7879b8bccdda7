import { nmManagesDevice, setNmManaged } from '../nm-device-managed';
import { requireOwned } from '../ownership';
import type { HostOp } from './op';

/**
 * Tells NetworkManager to leave a KVMNet link alone (or to manage it again, which is how this step
 * is undone). Only links carrying KVMNet's alias: the helper never changes how NetworkManager
 * treats the user's own interfaces.
 */
export const nmManaged: HostOp<'nm.managed'> = {
  check: (step, state) => requireOwned(state.links, step.device, 'device'),

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const managed = await nmManagesDevice(io, step.device);
    if (managed === undefined) throw new Error(`NetworkManager does not know ${step.device} (or does not run), so its current state cannot be recorded`);
    return [{ ensure: 'nm.managed', device: step.device, managed }];
  },

  async run(step, io) {
    await setNmManaged(io, step.device, step.managed);
    return `NetworkManager ${step.managed ? 'manages' : 'leaves alone'} ${step.device}`;
  },
};
