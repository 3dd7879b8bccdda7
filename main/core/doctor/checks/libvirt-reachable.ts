import type { Check, Fix } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { shellCommand } from '../../shell-quote';

/** the units to start: one libvirtd, or the split daemons QEMU guests and networks need */
const UNITS = { monolithic: ['libvirtd.socket'], modular: ['virtqemud.socket', 'virtnetworkd.socket'] } as const;

function startFix(daemon: DoctorFacts['libvirt']['daemon']): Fix | undefined {
  if (daemon === null) return undefined;
  const units = UNITS[daemon];
  return {
    description: `Start libvirt (${units.join(', ')}) now and at every boot.`,
    commands: [shellCommand('systemctl', 'enable', '--now', ...units)],
    safe: true,
    undo: `Stop it and keep it off at boot: ${shellCommand('systemctl', 'disable', '--now', ...units)}`,
  };
}

export function checkLibvirtReachable(facts: DoctorFacts): Check {
  const { libvirt, user } = facts;
  if (!libvirt.installed) {
    return {
      id: 'libvirt-reachable',
      status: 'ok',
      summary: 'libvirt is not installed',
      detail: 'KVMNet runs its own bridge, DHCP and NAT for plain QEMU; install libvirt only if you use virt-manager, GNOME Boxes or virsh.',
    };
  }
  if (libvirt.reachable) {
    const n = libvirt.networks.length;
    return { id: 'libvirt-reachable', status: 'ok', summary: 'libvirt answers', detail: `libvirt on qemu:///system answered and has ${n} network${n === 1 ? '' : 's'}.` };
  }
  const reason = libvirt.reason ?? 'libvirt did not answer';
  const base = { id: 'libvirt-reachable', status: 'warn', summary: 'libvirt does not answer' } as const;
  const consequence = 'KVMNet cannot show or change libvirt networks and VMs until it does.';
  if (libvirt.failure === 'permission') {
    return {
      ...base,
      summary: `${user.name} may not talk to libvirt`,
      detail: `libvirt refused ${user.name}: ${reason}. ${consequence}`,
      fix: {
        description: `Add ${user.name} to the libvirt group, then log out and back in.`,
        commands: [shellCommand('usermod', '-aG', 'libvirt', user.name)],
        safe: false,
        undo: `Remove ${user.name} from the group: ${shellCommand('gpasswd', '-d', user.name, 'libvirt')}`,
      },
    };
  }
  const fix = libvirt.failure === 'not-running' ? startFix(libvirt.daemon) : undefined;
  return { ...base, detail: `libvirt on qemu:///system did not answer: ${reason}. ${consequence}`, ...(fix && { fix }) };
}
