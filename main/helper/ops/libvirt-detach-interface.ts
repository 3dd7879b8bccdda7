import { domainNicXml, isOnlyBootDevice, nicXmlProblem } from '../../core/attach/domain-nic-xml';
import { detachNic, domainNics, nicWithMac, pluggedInto, readDomainNics, readDomainXml, type DomainNics } from '../libvirt-domain-control';
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

/** the NIC's own `<interface>` XML in one of the domain's documents, refused when KVMNet could not put it back */
function nicXmlFor(step: Detach, domainXml: string | undefined): string | null {
  const xml = domainXml === undefined ? undefined : domainNicXml(domainXml, step.mac);
  if (xml === undefined) return null;
  const problem = nicXmlProblem(xml, step);
  if (problem) throw new Error(`${problem}, so a rollback could not put the NIC ${step.mac} of domain ${step.domain} back as it is; KVMNet leaves it alone (virsh detach-interface removes it)`);
  return xml;
}

/**
 * Removes one NIC, found by its MAC, from a libvirt domain the user named: from its configuration
 * and from the running guest. The inverse puts back the NIC's own `<interface>` XML as libvirt had
 * it, so its PCI address, boot order and every other setting come back with it.
 */
export const libvirtDetachInterface: HostOp<'libvirt.detachInterface'> = {
  check: (step, state) => requireNetworkSource(state, step.network, step.source),

  simulate: (_step, state) => state,

  async inverse(step, io) {
    const xml = await readDomainXml(io, step.domain);
    nicToDetach(step, domainNics(xml));
    if (isOnlyBootDevice(xml.config, step.mac)) {
      throw new Error(`the NIC ${step.mac} is the only boot device of domain ${step.domain} with a boot order; without it libvirt would boot the domain from its disk, and would not take the NIC's boot order back on rollback. Give another device a boot order first (virsh edit ${step.domain}), or remove the NIC with virsh detach-interface`);
    }
    return [{ ensure: 'libvirt.nicPresent', domain: step.domain, source: step.source, mac: step.mac, config: nicXmlFor(step, xml.config), live: nicXmlFor(step, xml.live) }];
  },

  async run(step, io) {
    const nics = await readDomainNics(io, step.domain);
    const nic = nicToDetach(step, nics);
    const where = { config: nicWithMac(nics.config, step.mac) !== undefined, live: nicWithMac(nics.live, step.mac) !== undefined };
    await detachNic(io, step.domain, nic.type, step.mac, where);
    return where.live ? 'removed from the configuration and the running guest' : 'removed from the configuration';
  },
};
