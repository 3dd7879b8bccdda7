import type { LibvirtNetwork } from '../host-snapshot';
import type { NetworkSpec } from '../network/network-spec';
import type { Step } from '../../helper/protocol';

/**
 * libvirt networks: libvirt itself runs their bridge, dnsmasq, firewall rules and ip_forward, so
 * a plan is only libvirt's own verbs. Order:
 * - define, then autostart (configuration only, cheap to undo), then start last: starting is what
 *   most often fails (a subnet taken meanwhile, dnsmasq refusing), and as the last step its
 *   failure leaves only configuration to roll back;
 * - delete is create read backwards: stop, autostart off, undefine. Turning autostart off as a step
 *   of its own makes a rolled-back delete come back with autostart as it was, whatever the
 *   inverse of undefine keeps.
 * A network defined without autostart is left as libvirt defines it (off), so there is no step.
 */
export function libvirtCreateSteps(spec: NetworkSpec): Step[] {
  return [
    { op: 'libvirt.define', spec },
    ...(spec.autostart ? [{ op: 'libvirt.autostart', network: spec.name, enabled: true } as const] : []),
    { op: 'libvirt.start', network: spec.name },
  ];
}

export function libvirtDeleteSteps(network: LibvirtNetwork): Step[] {
  return [
    ...(network.active ? [{ op: 'libvirt.stop', network: network.name } as const] : []),
    ...(network.autostart ? [{ op: 'libvirt.autostart', network: network.name, enabled: false } as const] : []),
    { op: 'libvirt.undefine', network: network.name },
  ];
}

export const libvirtStartSteps = (network: LibvirtNetwork): Step[] => (network.active ? [] : [{ op: 'libvirt.start', network: network.name }]);

export const libvirtStopSteps = (network: LibvirtNetwork): Step[] => (network.active ? [{ op: 'libvirt.stop', network: network.name }] : []);
