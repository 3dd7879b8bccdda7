import type { Step } from '../../../main/helper/protocol';

/**
 * A plan step as a translatable sentence: the key under `steps.` and its parameters. The words
 * match describeStep (core/plan/describe-step.ts), which the CLI prints.
 */
export interface StepText {
  key: string;
  params: Record<string, string>;
}

export function stepText(step: Step): StepText {
  switch (step.op) {
    case 'link.add':
      return { key: step.kind === 'bridge' ? 'addBridge' : step.kind === 'tap' ? 'addTap' : 'addVeth', params: { name: step.name, peer: step.kind === 'veth' ? step.peer : '' } };
    case 'link.delete':
      return { key: 'deleteLink', params: { name: step.name } };
    case 'link.setMaster':
      return step.master === null ? { key: 'detach', params: { name: step.name } } : { key: 'attach', params: { name: step.name, master: step.master } };
    case 'link.setState':
      return { key: step.up ? 'linkUp' : 'linkDown', params: { name: step.name } };
    case 'link.setAlias':
      return { key: 'alias', params: { name: step.name, network: step.network } };
    case 'addr.add':
      return { key: 'addAddress', params: { address: step.address, dev: step.dev } };
    case 'addr.delete':
      return { key: 'removeAddress', params: { address: step.address, dev: step.dev } };
    case 'sysctl.set':
      return { key: 'sysctl', params: { key: step.key, value: step.value } };
    case 'nft.network':
      return { key: step.spec ? 'firewallOn' : 'firewallOff', params: { network: step.network } };
    case 'dnsmasq.start':
      return { key: 'dnsmasqStart', params: { bridge: step.spec.bridge } };
    case 'dnsmasq.stop':
      return { key: 'dnsmasqStop', params: { network: step.network } };
    case 'libvirt.define':
      return { key: 'libvirtDefine', params: { network: step.spec.name } };
    case 'libvirt.undefine':
      return { key: 'libvirtUndefine', params: { network: step.network } };
    case 'libvirt.start':
      return { key: 'libvirtStart', params: { network: step.network } };
    case 'libvirt.stop':
      return { key: 'libvirtStop', params: { network: step.network } };
    case 'libvirt.autostart':
      return { key: step.enabled ? 'libvirtAutostartOn' : 'libvirtAutostartOff', params: { network: step.network } };
    case 'record.write':
      return { key: 'recordWrite', params: { network: step.record.spec.name } };
    case 'record.delete':
      return { key: 'recordDelete', params: { network: step.network } };
    case 'boot.unit':
      return { key: step.enabled ? 'bootOn' : 'bootOff', params: {} };
  }
}
