import type { Check } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { forwardChains } from '../forward-chains';
import { describeBlocker, forwardBlockers, type Blocker, type Flow } from '../forward-blockers';
import { shellCommand } from '../../shell-quote';
import { vmNetworks } from '../vm-networks';

interface GuestBridge {
  readonly bridge: string;
  readonly subnets: readonly string[];
}

/** bridges VMs sit on: every running network's, and any other bridge with a tap on it */
function guestBridges(facts: DoctorFacts): GuestBridge[] {
  const bridges = new Map<string, GuestBridge>();
  for (const n of vmNetworks(facts)) {
    if (n.active && n.bridge !== undefined) bridges.set(n.bridge, { bridge: n.bridge, subnets: n.subnets });
  }
  for (const tap of facts.snapshot.links) {
    if (tap.kind === 'tap' && tap.master !== undefined && !bridges.has(tap.master)) bridges.set(tap.master, { bridge: tap.master, subnets: [] });
  }
  return [...bridges.values()];
}

/** one guest talking to another on the same bridge (or to the LAN behind it): br_netfilter hands it to the forward hook */
function bridgedFlow(b: GuestBridge, family: Flow['family']): Flow {
  const subnet = b.subnets.find((s) => s.includes(':') === (family === 'ip6'));
  return { family, iif: b.bridge, oif: b.bridge, saddr: subnet, daddr: subnet, ctState: 'new' };
}

const SYSCTLS = [
  { family: 'ip', key: 'net.bridge.bridge-nf-call-iptables', fact: 'bridgeNfCallIptables' },
  { family: 'ip6', key: 'net.bridge.bridge-nf-call-ip6tables', fact: 'bridgeNfCallIp6tables' },
] as const;

export function checkBrNetfilter(facts: DoctorFacts): Check {
  const on = SYSCTLS.filter((s) => facts.sysctls[s.fact] === '1');
  if (on.length === 0) {
    const loaded = facts.sysctls.bridgeNfCallIptables !== null;
    return {
      id: 'br-netfilter',
      status: 'ok',
      summary: loaded ? 'Bridged traffic skips the IP firewall' : 'br_netfilter is not loaded',
      detail: 'Frames a bridge passes between VMs (or to the LAN) do not go through iptables or nftables forward chains, so no host firewall rule can block them.',
    };
  }
  const bridges = guestBridges(facts);
  if (bridges.length === 0) {
    return { id: 'br-netfilter', status: 'ok', summary: 'No bridge with VMs to check', detail: 'br_netfilter sends bridged traffic through the IP firewall, but no running network or tap uses a bridge.' };
  }
  const { chains, unreadable } = forwardChains(facts);
  const findings: { bridge: string; blocker: Blocker }[] = bridges.flatMap((b) =>
    on.flatMap((s) => forwardBlockers(chains, bridgedFlow(b, s.family)).map((blocker) => ({ bridge: b.bridge, blocker }))),
  ).sort((a, b) => Number(b.blocker.certain) - Number(a.blocker.certain));
  const fix = {
    description: 'Stop sending bridged traffic through the IP firewall (until the next reboot). Docker and Kubernetes rely on it to isolate their own bridges.',
    commands: on.map((s) => shellCommand('sysctl', '-w', `${s.key}=0`)),
    safe: false,
    undo: `Turn it on again: ${on.map((s) => shellCommand('sysctl', '-w', `${s.key}=1`)).join(' ; ')}`,
  };
  const first = findings[0];
  if (first === undefined) {
    if (unreadable !== undefined) {
      return {
        id: 'br-netfilter',
        status: 'warn',
        summary: 'Bridged VM traffic goes through a firewall that could not be read',
        detail: `br_netfilter (${on.map((s) => s.key).join(', ')} = 1) makes the forward firewall chains filter frames on ${bridges.map((b) => b.bridge).join(', ')}, and they could not be read (${unreadable}); run the doctor as root to check.`,
      };
    }
    return {
      id: 'br-netfilter',
      status: 'ok',
      summary: 'Bridged VM traffic passes the firewall',
      detail: `br_netfilter makes the forward firewall chains see frames on ${bridges.map((b) => b.bridge).join(', ')}, and none of them drops that traffic.`,
    };
  }
  const certain = first.blocker.certain;
  return {
    id: 'br-netfilter',
    status: certain ? 'fail' : 'warn',
    summary: `${certain ? 'The firewall drops' : 'The firewall may drop'} traffic between VMs on ${first.bridge}`,
    detail:
      `br_netfilter is loaded with ${on.map((s) => s.key).join(', ')} = 1, so frames the bridge ${first.bridge} passes between its ports go through the IP firewall, and ` +
      `${describeBlocker(first.blocker)} ${certain ? 'drops' : 'may drop'} them: VMs on the bridge cannot reach each other or the LAN.`,
    fix,
  };
}
