import { attachNic, nicWithMac, readDomainNics } from '../libvirt-domain-control';
import { requireNetworkSource } from './nic-source-ownership';
import type { HostOp } from './op';

/**
 * Adds one NIC to a libvirt domain the user named (`kvmnet attach NET --vm DOMAIN`): to its
 * configuration, and to the running guest when it runs. The domain is the user's choice; the step
 * only ever adds the NIC with this MAC, on this network, and its inverse removes only that NIC.
 */
export const libvirtAttachInterface: HostOp<'libvirt.attachInterface'> = {
  check: (step, state) => requireNetworkSource(state, step.network, step.source),

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const nics = await readDomainNics(io, step.domain);
    // the inverse would remove a NIC that was there before: refuse before anything runs
    if (nicWithMac([...nics.config, ...nics.live], step.mac)) throw new Error(`domain ${step.domain} already has a NIC with MAC ${step.mac}`);
    return [{ ensure: 'libvirt.nicAbsent', domain: step.domain, mac: step.mac }];
  },

  async run(step, io) {
    const { active } = await readDomainNics(io, step.domain);
    await attachNic(io, step.domain, step, { config: true, live: active });
    return active ? 'added to the configuration and to the running guest' : 'added to the configuration (the domain is shut off)';
  },
};
