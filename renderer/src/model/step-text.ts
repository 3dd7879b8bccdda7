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
    case 'dnsmasq.hosts':
      return { key: 'dhcpHosts', params: { bridge: step.bridge, count: String(step.reservations.length) } };
    case 'libvirt.dhcpHost':
      return { key: step.present ? 'libvirtReserve' : 'libvirtUnreserve', params: { ip: step.host.ip, mac: step.host.mac, network: step.network } };
    case 'boot.forwardsUnit':
      return { key: step.enabled ? 'forwardsBootOn' : 'forwardsBootOff', params: {} };
    case 'link.setAddress':
      return { key: 'setMac', params: { name: step.name, mac: step.mac } };
    case 'nm.managed':
      return { key: step.managed ? 'nmManage' : 'nmUnmanage', params: { name: step.device } };
    case 'libvirt.attachTap':
      return { key: 'libvirtAttachTap', params: { name: step.tap, network: step.network } };
    case 'libvirt.attachInterface':
      return { key: 'domainNicAdd', params: { mac: step.mac, network: step.network, domain: step.domain } };
    case 'libvirt.detachInterface':
      return { key: 'domainNicRemove', params: { mac: step.mac, domain: step.domain } };
    case 'nm.checkpoint.create':
      return { key: 'checkpointCreate', params: { name: step.devices.join(', '), seconds: String(step.timeoutSeconds) } };
    case 'nm.checkpoint.rollback':
      return { key: 'checkpointRollback', params: { network: step.network } };
    case 'nm.checkpoint.destroy':
      return { key: 'checkpointDestroy', params: { network: step.network } };
    case 'nm.connection.add':
      return { key: step.type === 'bridge' ? 'profileAddBridge' : 'profileAddPort', params: { network: step.network } };
    case 'nm.connection.up':
      return { key: 'profileUp', params: { name: step.device } };
    case 'nm.connection.down':
      return { key: 'profileDown', params: { name: step.device } };
    case 'nm.connection.delete':
      return { key: 'profileDelete', params: { network: step.network } };
    case 'uplink.bridge':
      return { key: 'uplinkBridge', params: { name: step.uplink, master: step.bridge } };
    case 'uplink.unbridge':
      return { key: 'uplinkUnbridge', params: { name: step.uplink, master: step.bridge } };
    case 'networkd.bridge':
      return { key: 'networkdBridge', params: { name: step.uplink, master: step.bridge } };
    case 'networkd.unbridge':
      return { key: 'networkdUnbridge', params: { name: step.uplink, master: step.bridge } };
    case 'bridged.record':
      // a runtime bridge's record lives under /run: it remembers what to undo, not settings for the next boot
      if (step.record && !step.persistent) return { key: 'recordRuntime', params: { network: step.network } };
      return { key: step.record ? 'recordWrite' : 'recordDelete', params: { network: step.network } };
    case 'pending.arm':
      return { key: 'pendingArm', params: { network: step.pending.network } };
    case 'pending.claim':
      return { key: 'pendingClaim', params: { network: step.network } };
    case 'pending.outcome':
      return { key: step.outcome === 'confirmed' ? 'pendingConfirmed' : 'pendingRolledBack', params: { network: step.network } };
  }
}
