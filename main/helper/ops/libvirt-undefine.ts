import type { Undo } from '../undo';
import { readLibvirtNetwork, undefineNetwork } from '../libvirt-control';
import { requireKvmnetLibvirtNetwork, withLibvirt } from './libvirt-ownership';
import type { HostOp } from './op';

/**
 * Undefines a KVMNet libvirt network (a running one stays up as a transient network, as libvirt
 * does). The inverse defines it again from `net-dumpxml --inactive` taken just before, and puts
 * its autostart back, which undefining drops.
 */
export const libvirtUndefine: HostOp<'libvirt.undefine'> = {
  check: (step, state) => requireKvmnetLibvirtNetwork(state, step.network),

  simulate: (step, state) => withLibvirt(state, step.network, (f) => (f.active ? { ...f, persistent: false, autostart: false } : undefined)),

  async inverse(step, io) {
    const facts = await readLibvirtNetwork(io, step.network);
    if (!facts?.persistent) return [];
    const undo: Undo[] = [{ ensure: 'libvirt.defined', network: step.network, xml: facts.xml }];
    if (facts.autostart) undo.push({ ensure: 'libvirt.autostart', network: step.network, enabled: true });
    return undo;
  },

  async run(step, io) {
    await undefineNetwork(io, step.network);
    return undefined;
  },
};
