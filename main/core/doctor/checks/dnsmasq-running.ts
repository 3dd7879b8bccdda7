import type { Check } from '../doctor-report';
import type { DoctorFacts, DnsmasqFacts } from '../doctor-facts';
import { shellCommand } from '../../shell-quote';
import { vmNetworks } from '../vm-networks';

type Trouble = { network: string; why: string };

function trouble(network: string, d: DnsmasqFacts | undefined): Trouble | undefined {
  if (d === undefined) return { network, why: 'no dnsmasq was started for it' };
  if (d.pid === null) return { network, why: `no dnsmasq was started for it (no pid in ${d.pidFile})` };
  if (d.process === null) return { network, why: `its dnsmasq (pid ${d.pid}) has exited` };
  if (d.process !== 'dnsmasq') return { network, why: `its pid file names pid ${d.pid}, which is now "${d.process}", not dnsmasq` };
  return undefined;
}

/** KVMNet's direct networks run their own dnsmasq for DHCP and DNS on every network with a host address */
export function checkDnsmasqRunning(facts: DoctorFacts): Check {
  const running = vmNetworks(facts).filter((n) => n.backend === 'direct' && n.active);
  const needing = facts.records.filter((r) => r.spec.ipv4 !== null && running.some((n) => n.name === r.spec.name)).map((r) => r.spec.name);
  if (needing.length === 0) {
    return { id: 'dnsmasq-running', status: 'ok', summary: 'No running network needs KVMNet’s dnsmasq', detail: 'Only running direct networks with a host address get a dnsmasq from KVMNet; libvirt runs its own for its networks.' };
  }
  const found = needing.flatMap((n) => trouble(n, facts.dnsmasq.find((d) => d.network === n)) ?? []);
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
      commands: names.map((n) => shellCommand('kvmnet', 'doctor', '--fix', 'dnsmasq-running', '--network', n)),
      safe: true,
      undo: 'Nothing to undo: it starts the dnsmasq KVMNet runs for this network, with the same configuration.',
    },
  };
}
