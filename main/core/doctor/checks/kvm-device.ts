import type { Check, Fix } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { deviceGroup, modeText, userCanOpen } from '../device-access';
import { shellCommand } from '../../shell-quote';

const KVM_MODULE = { vmx: 'kvm_intel', svm: 'kvm_amd' } as const;

export function checkKvmDevice(facts: DoctorFacts): Check {
  const { kvm } = facts.devices;
  const { user } = facts;
  if (!kvm.exists) {
    if (facts.cpuVirtualization === null) {
      return {
        id: 'kvm-device',
        status: 'warn',
        summary: 'KVM acceleration is not available',
        detail:
          'There is no /dev/kvm and the CPU does not offer hardware virtualization to this system, so VMs run in software emulation, many times slower. Turn on VT-x or AMD-V in the firmware settings (or nested virtualization, if this system is itself a VM).',
      };
    }
    const module = KVM_MODULE[facts.cpuVirtualization];
    return {
      id: 'kvm-device',
      status: 'warn',
      summary: 'KVM acceleration is not available: /dev/kvm is missing',
      detail: `The CPU supports virtualization (${facts.cpuVirtualization}) but the ${module} module is not loaded, so VMs run in software emulation, many times slower.`,
      fix: {
        description: `Load the ${module} kernel module.`,
        commands: [shellCommand('modprobe', module)],
        safe: true,
        undo: `Unload it: ${shellCommand('modprobe', '-r', module)}`,
      },
    };
  }
  if (userCanOpen(kvm, user)) {
    return {
      id: 'kvm-device',
      status: 'ok',
      summary: 'KVM acceleration is available',
      detail: `/dev/kvm exists and ${user.name} may open it, so VMs run at close to native speed.`,
    };
  }
  const group = deviceGroup(kvm);
  const fix: Fix = {
    description: `Add ${user.name} to the ${group} group, then log out and back in.`,
    commands: [shellCommand('usermod', '-aG', group, user.name)],
    safe: false,
    undo: `Remove ${user.name} from the group: ${shellCommand('gpasswd', '-d', user.name, group)}`,
  };
  return {
    id: 'kvm-device',
    status: 'fail',
    summary: `${user.name} cannot use /dev/kvm`,
    detail: `/dev/kvm (mode ${modeText(kvm.mode)}, group ${group}) does not let ${user.name} open it, so VMs ${user.name} starts fall back to software emulation, many times slower.`,
    fix,
  };
}
