import type { Check } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { modeText, userCanOpen } from '../device-access';
import { shellCommand } from '../../shell-quote';

export function checkTunDevice(facts: DoctorFacts): Check {
  const { tun } = facts.devices;
  if (!tun.exists) {
    return {
      id: 'tun-device',
      status: 'fail',
      summary: '/dev/net/tun is missing',
      detail: 'Without it no tap device can be created or opened, so no VM can join a bridge; the tun kernel module provides it.',
      fix: { description: 'Load the tun kernel module.', commands: [shellCommand('modprobe', 'tun')], safe: true, undo: `Unload it: ${shellCommand('modprobe', '-r', 'tun')}` },
    };
  }
  if (!userCanOpen(tun, facts.user)) {
    return {
      id: 'tun-device',
      status: 'fail',
      summary: `${facts.user.name} cannot open /dev/net/tun`,
      detail: `Its mode is ${modeText(tun.mode)} instead of the usual 0666, so QEMU started by ${facts.user.name} cannot attach to a tap, not even one ${facts.user.name} owns.`,
      fix: {
        description: 'Give /dev/net/tun its usual mode again.',
        commands: [shellCommand('chmod', '0666', tun.path)],
        safe: true,
        undo: `Set the old mode back: ${shellCommand('chmod', modeText(tun.mode), tun.path)}`,
      },
    };
  }
  return { id: 'tun-device', status: 'ok', summary: 'Tap devices can be used', detail: `/dev/net/tun exists and ${facts.user.name} may open it, as QEMU needs to use a tap.` };
}
