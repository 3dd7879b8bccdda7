import type { Check } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { deviceGroup, userCanOpen } from '../device-access';
import { shellCommand } from '../../shell-quote';

export function checkVhostNet(facts: DoctorFacts): Check {
  const { vhostNet } = facts.devices;
  const { user } = facts;
  if (!vhostNet.exists) {
    return {
      id: 'vhost-net',
      status: 'warn',
      summary: 'vhost-net is not available',
      detail: 'Without /dev/vhost-net QEMU moves every network packet through its own process, which costs CPU and throughput; KVMNet then leaves vhost off in the QEMU options it writes.',
      fix: {
        description: 'Load the vhost_net kernel module.',
        commands: [shellCommand('modprobe', 'vhost_net')],
        safe: true,
        undo: `Unload it: ${shellCommand('modprobe', '-r', 'vhost_net')}`,
      },
    };
  }
  if (!userCanOpen(vhostNet, user)) {
    const group = deviceGroup(vhostNet);
    return {
      id: 'vhost-net',
      status: 'warn',
      summary: `${user.name} cannot use /dev/vhost-net`,
      detail: `VMs run by libvirt still get vhost-net, but QEMU started by ${user.name} moves packets through its own process, which is slower.`,
      fix: {
        description: `Add ${user.name} to the ${group} group, then log out and back in.`,
        commands: [shellCommand('usermod', '-aG', group, user.name)],
        safe: false,
        undo: `Remove ${user.name} from the group: ${shellCommand('gpasswd', '-d', user.name, group)}`,
      },
    };
  }
  return { id: 'vhost-net', status: 'ok', summary: 'vhost-net is available', detail: `/dev/vhost-net exists and ${user.name} may open it, so guest networking is handled in the kernel, the fast way.` };
}
