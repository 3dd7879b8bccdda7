import type { Check } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { shellCommand } from '../../shell-quote';
import { vmNetworks } from '../vm-networks';

const KEY = 'net.ipv4.ip_forward';

export function checkIpForward(facts: DoctorFacts): Check {
  const needing = vmNetworks(facts).filter((n) => n.active && n.forwards);
  const value = facts.sysctls.ipForward;
  if (needing.length === 0) {
    return {
      id: 'ip-forward',
      status: 'ok',
      summary: 'IP forwarding is not needed now',
      detail: `No running NAT or routed network needs ${KEY} (it is ${value ?? 'unreadable'}); KVMNet turns it on when it starts one.`,
    };
  }
  const names = needing.map((n) => n.label).join(', ');
  if (value === '1') {
    return { id: 'ip-forward', status: 'ok', summary: 'IP forwarding is on', detail: `${KEY} is 1, so the kernel passes the traffic of ${names} on to the uplink.` };
  }
  if (value === null) {
    return { id: 'ip-forward', status: 'warn', summary: `${KEY} could not be read`, detail: `${names} need${needing.length === 1 ? 's' : ''} IPv4 forwarding, but /proc/sys/net/ipv4/ip_forward could not be read.` };
  }
  return {
    id: 'ip-forward',
    status: 'fail',
    summary: `IP forwarding is off: guests of ${names} cannot reach beyond the host`,
    detail: `${KEY} is ${value}, so the kernel does not pass packets between the VM bridge and the uplink: guests reach the host but not the LAN or the internet.`,
    fix: {
      description: 'Turn IPv4 forwarding on (until the next reboot; KVMNet turns it on again when it starts the network).',
      commands: [shellCommand('sysctl', '-w', `${KEY}=1`)],
      safe: true,
      undo: `Turn it off again: ${shellCommand('sysctl', '-w', `${KEY}=${value}`)}`,
    },
  };
}
