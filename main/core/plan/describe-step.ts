import type { Step } from '../../helper/protocol';
import { recordPath } from '../paths';
import { describeBridgedStep } from '../bridge-to-lan/bridged-step-words';

/** One line a person reads in progress output: what the step does to the host, in words. */
export function describeStep(step: Step): string {
  switch (step.op) {
    case 'link.add':
      return `create ${step.kind} ${step.name}${step.kind === 'veth' ? ` (peer ${step.peer})` : ''}`;
    case 'link.delete':
      return `delete ${step.name}`;
    case 'link.setMaster':
      return step.master === null ? `detach ${step.name} from its bridge` : `attach ${step.name} to ${step.master}`;
    case 'link.setState':
      return `set ${step.name} ${step.up ? 'up' : 'down'}`;
    case 'link.setAlias':
      return `mark ${step.name} as part of network ${step.network}`;
    case 'addr.add':
      return `add address ${step.address} to ${step.dev}`;
    case 'addr.delete':
      return `remove address ${step.address} from ${step.dev}`;
    case 'sysctl.set':
      return `set ${step.key} = ${step.value}`;
    case 'nft.network':
      return step.spec ? `install firewall rules for network ${step.network}` : `remove the firewall rules of network ${step.network}`;
    case 'dnsmasq.start':
      return `start dnsmasq (DHCP and DNS) on ${step.spec.bridge}`;
    case 'dnsmasq.stop':
      return `stop the dnsmasq of network ${step.network}`;
    case 'libvirt.define':
      return `define libvirt network ${step.spec.name}`;
    case 'libvirt.undefine':
      return `undefine libvirt network ${step.network}`;
    case 'libvirt.start':
      return `start libvirt network ${step.network}`;
    case 'libvirt.stop':
      return `stop libvirt network ${step.network}`;
    case 'libvirt.autostart':
      return `${step.enabled ? 'enable' : 'disable'} autostart of libvirt network ${step.network}`;
    case 'record.write':
      return `write ${recordPath(step.record.spec.name)}`;
    case 'record.delete':
      return `remove ${recordPath(step.network)}`;
    case 'boot.unit':
      return `${step.enabled ? 'enable' : 'disable'} restoring direct networks at boot`;
    case 'link.setAddress':
      return `set the MAC of ${step.name} to ${step.mac}`;
    case 'nm.managed':
      return step.managed ? `let NetworkManager manage ${step.device}` : `tell NetworkManager to leave ${step.device} alone`;
    case 'libvirt.attachTap':
      return `attach ${step.tap} to the bridge of libvirt network ${step.network}`;
    case 'libvirt.attachInterface':
      return `add a NIC ${step.mac} on network ${step.network} to domain ${step.domain}`;
    case 'libvirt.detachInterface':
      return `remove the NIC ${step.mac} from domain ${step.domain}`;
    case 'dnsmasq.hosts':
      return `serve ${step.reservations.length} DHCP reservation(s) on ${step.bridge}`;
    case 'boot.forwardsUnit':
      return `${step.enabled ? 'enable' : 'disable'} restoring the port forwards of libvirt networks at boot`;
    case 'libvirt.dhcpHost':
      return `${step.present ? 'reserve' : 'release'} ${step.host.ip} for ${step.host.mac} in libvirt network ${step.network}`;
    default:
      return describeBridgedStep(step);
  }
}
