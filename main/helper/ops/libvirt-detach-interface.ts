import { NicModel } from '../../core/attach/nic-model';
import { detachNic, nicWithMac, pluggedInto, readDomainNics, type DomainNics } from '../libvirt-domain-control';
import { requireNetworkSource } from './nic-source-ownership';
import type { HostOp, StepOf } from './op';

type Detach = StepOf<'libvirt.detachInterface'>;

/** the domain's NIC with the step's MAC, which must be plugged into the step's network; throws saying why not */
function nicToDetach(step: Detach, nics: DomainNics) {
  const nic = nicWithMac(nics.config, step.mac) ?? nicWithMac(nics.live, step.mac);
  if (!nic) throw new Error(`domain ${step.domain} has no NIC with MAC ${step.mac}`);
  if (!pluggedInto(nic, step.source)) throw new Error(`the NIC ${step.mac} of domain ${step.domain} is not on network ${step.network}; KVMNet removes only NICs of the network named`);
  return nic;
}

/**
 * Removes one NIC, found by its MAC, from a libvirt domain the user named: from its configuration
 * and from the running guest. The inverse plugs the same NIC (source, MAC, model) back where it was.
 */
export const libvirtDetachInterface: HostOp<'libvirt.detachInterface'> = {
  check: (step, state) => requireNetworkSource(state, step.network, step.source),

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const nics = await readDomainNics(io, step.domain);
    const nic = nicToDetach(step, nics);
    const model = nic.model === undefined ? undefined : NicModel.safeParse(nic.model);
    if (model && !model.success) throw new Error(`the NIC ${step.mac} has the model ${nic.model}, which KVMNet could not put back on rollback; remove it with virsh detach-interface`);
    return [{
      ensure: 'libvirt.nicPresent', domain: step.domain, source: step.source, mac: step.mac,
      ...(model?.success ? { model: model.data } : {}),
      config: nicWithMac(nics.config, step.mac) !== undefined,
      live: nicWithMac(nics.live, step.mac) !== undefined,
    }];
  },

  async run(step, io) {
    const nics = await readDomainNics(io, step.domain);
    const nic = nicToDetach(step, nics);
    const where = { config: nicWithMac(nics.config, step.mac) !== undefined, live: nicWithMac(nics.live, step.mac) !== undefined };
    await detachNic(io, step.domain, nic.type, step.mac, where);
    return where.live ? 'removed from the configuration and the running guest' : 'removed from the configuration';
  },
};
