import type { Check, Fix } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { acceptRuleFix } from '../accept-rule-fix';
import { forwardChains } from '../forward-chains';
import { describeBlocker, forwardBlockers, type Blocker, type Flow } from '../forward-blockers';
import { mergeFixes } from '../merge-fixes';
import { defaultRouteDevice, vmNetworks, type VmNetwork } from '../vm-networks';

interface Finding {
  readonly network: VmNetwork;
  readonly bridge: string;
  readonly subnet: string;
  readonly blocker: Blocker;
}

/** a guest opening a connection to the outside, and the answers coming back */
function flows(bridge: string, subnet: string, uplink: string | undefined): Flow[] {
  const family = subnet.includes(':') ? 'ip6' : 'ip';
  return [
    { family, iif: bridge, oif: uplink, saddr: subnet, ctState: 'new' },
    { family, iif: uplink, oif: bridge, daddr: subnet, ctState: 'established' },
  ];
}

const dockerHint = (facts: DoctorFacts): string =>
  facts.snapshot.links.some((l) => l.name === 'docker0') ? ' Docker sets the FORWARD policy to drop when it starts, which does this to every bridge it does not know.' : '';

export function checkForwardPolicyDrop(facts: DoctorFacts): Check {
  const networks = vmNetworks(facts).filter((n) => n.active && n.forwards && n.bridge !== undefined && n.subnets.length > 0);
  if (networks.length === 0) {
    return { id: 'forward-policy-drop', status: 'ok', summary: 'No running NAT or routed network to check', detail: 'Only traffic the host forwards for a NAT or routed network passes the forward firewall chains.' };
  }
  const { chains, unreadable } = forwardChains(facts);
  const uplinkOf = (n: VmNetwork) => n.uplink ?? defaultRouteDevice(facts);
  const findings: Finding[] = networks.flatMap((network) =>
    network.subnets.flatMap((subnet) => {
      const bridge = network.bridge!;
      const blocker = flows(bridge, subnet, uplinkOf(network)).flatMap((f) => forwardBlockers(chains, f)).sort((a, b) => Number(b.certain) - Number(a.certain))[0];
      return blocker ? [{ network, bridge, subnet, blocker }] : [];
    }),
  );
  const first = findings[0];
  if (first === undefined) {
    if (unreadable !== undefined) {
      return {
        id: 'forward-policy-drop',
        status: 'warn',
        summary: 'The firewall could not be read',
        detail: `Whether a firewall drops the traffic of ${networks.map((n) => n.label).join(', ')} is unknown (${unreadable}); run the doctor as root (sudo kvmnet doctor) to check.`,
      };
    }
    return { id: 'forward-policy-drop', status: 'ok', summary: 'The firewall lets forwarded VM traffic through', detail: `No forward chain drops the traffic of ${networks.map((n) => n.label).join(', ')}.` };
  }
  const certain = findings.filter((f) => f.blocker.certain);
  const shown = certain[0] ?? first;
  const blocked = [...new Set((certain.length > 0 ? certain : findings).map((f) => f.network.label))].join(', ');
  const fix: Fix | undefined = mergeFixes([...new Map(findings.map((f) => [f.bridge, acceptRuleFix(f.blocker, f.bridge, chains)])).values()]);
  return {
    id: 'forward-policy-drop',
    status: certain.length > 0 ? 'fail' : 'warn',
    summary: certain.length > 0 ? `The firewall drops the traffic of ${blocked}` : `The firewall may drop some traffic of ${blocked}`,
    detail:
      `${describeBlocker(shown.blocker)} ${shown.blocker.certain ? 'drops' : 'may drop'} packets forwarded for ${shown.bridge} (${shown.subnet}), so guests reach the host but not the LAN or the internet.` +
      ` A drop in any firewall chain is final, so the accept has to go into that chain.${dockerHint(facts)}`,
    ...(fix && { fix }),
  };
}
