import type { Check } from '../doctor-report';
import type { DoctorFacts, DnsmasqFacts } from '../doctor-facts';
import { dnsmasqPidPath } from '../../paths';
import { shellCommand, shellQuote } from '../../shell-quote';
import { vmNetworks } from '../vm-networks';

export interface Trouble {
  readonly network: string;
  readonly why: string;
}

function trouble(network: string, d: DnsmasqFacts | undefined): Trouble | undefined {
  if (d === undefined) return { network, why: 'no dnsmasq was started for it' };
  if (d.pid === null) return { network, why: `no dnsmasq was started for it (no pid in ${d.pidFile})` };
  if (d.process === null) return { network, why: `its dnsmasq (pid ${d.pid}) has exited` };
  if (d.process !== 'dnsmasq') return { network, why: `its pid file names pid ${d.pid}, which is now "${d.process}", not dnsmasq` };
  return undefined;
}

/** the running direct networks with a host address: each should have its own dnsmasq */
function needingDnsmasq(facts: DoctorFacts): string[] {
  const running = vmNetworks(facts).filter((n) => n.backend === 'direct' && n.active);
  return facts.records.filter((r) => r.spec.ipv4 !== null && running.some((n) => n.name === r.spec.name)).map((r) => r.spec.name);
}

/** the networks among them whose dnsmasq does not run */
export function networksWithoutDnsmasq(facts: DoctorFacts): Trouble[] {
  return needingDnsmasq(facts).flatMap((n) => trouble(n, facts.dnsmasq.find((d) => d.network === n)) ?? []);
}

/** KVMNet's direct networks run their own dnsmasq for DHCP and DNS on every network with a host address */
export function checkDnsmasqRunning(facts: DoctorFacts): Check {
  const needing = needingDnsmasq(facts);
  if (needing.length === 0) {
    return { id: 'dnsmasq-running', status: 'ok', summary: 'No running network needs KVMNet’s dnsmasq', detail: 'Only running direct networks with a host address get a dnsmasq from KVMNet; libvirt runs its own for its networks.' };
  }
  const found = networksWithoutDnsmasq(facts);
  const first = found[0];
  if (first === undefined) {
    return { id: 'dnsmasq-running', status: 'ok', summary: 'dnsmasq runs for every network', detail: `DHCP and DNS are served on ${needing.map((n) => `"${n}"`).join(', ')}.` };
  }
  const names = found.map((t) => t.network);
  return {
    id: 'dnsmasq-running',
    status: 'fail',
    summary: `No DHCP or DNS on ${names.map((n) => `"${n}"`).join(', ')}`,
    detail: `The network "${first.network}" runs, but ${first.why}: new guests get no address and guests cannot resolve names.`,
    fix: {
      description: `Start the network's own dnsmasq again.`,
      commands: [shellCommand('kvmnet', 'doctor', '--fix', 'dnsmasq-running')],
      safe: true,
      undo: `Stop it again: ${names.map((n) => `kill "$(cat ${shellQuote(dnsmasqPidPath(n))})"`).join(' ; ')}`,
    },
  };
}
