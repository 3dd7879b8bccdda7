import type { Check, CheckStatus, Fix } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { mergeFixes } from '../merge-fixes';
import { shellCommand } from '../../shell-quote';
import { vmNetworks } from '../vm-networks';

interface Problem {
  readonly status: Exclude<CheckStatus, 'ok'>;
  readonly summary: string;
  readonly detail: string;
  readonly fix?: Fix;
}

function backendProblems(facts: DoctorFacts): Problem[] {
  const { firewallBackend } = facts.libvirt;
  const { tools } = facts.firewall;
  if (firewallBackend === 'iptables' && !tools.iptables) {
    return [{ status: 'fail', summary: 'libvirt is set to use iptables, which is not installed', detail: 'firewall_backend = "iptables" in /etc/libvirt/network.conf, but there is no iptables command: libvirt cannot start NAT or routed networks. Install iptables or set firewall_backend = "nftables".' }];
  }
  if (firewallBackend === 'nftables' && !tools.nft) {
    return [{ status: 'fail', summary: 'libvirt is set to use nftables, which is not installed', detail: 'firewall_backend = "nftables" in /etc/libvirt/network.conf, but there is no nft command: libvirt cannot start NAT or routed networks. Install nftables or set firewall_backend = "iptables".' }];
  }
  return [];
}

/** rules in the legacy x_tables filter table run beside nftables and stay invisible to nft and to iptables-nft */
function legacyProblems(facts: DoctorFacts): Problem[] {
  const { filter } = facts.firewall.iptablesLegacy;
  if (!filter?.available) return [];
  const forward = filter.chains.find((c) => c.name === 'FORWARD');
  const filters = forward !== undefined && (forward.policy === 'drop' || forward.rules.length > 0);
  const { nft, tools } = facts.firewall;
  const nftInUse = tools.iptablesVariant === 'nf_tables' || (nft.available && nft.tables.length > 0);
  if (!filters || !nftInUse) return [];
  return [{
    status: 'warn',
    summary: 'Two firewalls are active: nftables and iptables-legacy',
    detail: 'The legacy iptables filter table has forward rules (often from an older Docker or a distribution script). They apply on top of nftables, but nft, iptables (nf_tables) and libvirt do not see them, so a drop there is hard to find.',
  }];
}

function firewalldProblems(facts: DoctorFacts): Problem[] {
  const { firewalld } = facts.firewall;
  if (firewalld.running !== true) return [];
  const problems: Problem[] = [];
  const running = vmNetworks(facts).filter((n) => n.active);
  if (facts.libvirt.reachable && !facts.libvirt.firewalldZoneInstalled && running.some((n) => n.backend === 'libvirt' && !n.hostBridge)) {
    problems.push({
      status: 'fail',
      summary: 'firewalld has no "libvirt" zone',
      detail: 'libvirt puts its network bridges in the firewalld zone "libvirt", which this system lacks, so firewalld blocks DHCP and DNS for libvirt guests. Reinstall the libvirt network driver package, which ships /usr/lib/firewalld/zones/libvirt.xml.',
    });
  }
  const unzoned = running.filter((n) => n.backend === 'direct' && n.bridge !== undefined && firewalld.interfaceZones[n.bridge] === undefined);
  if (unzoned.length > 0) {
    const bridges = unzoned.map((n) => n.bridge!);
    problems.push({
      status: 'warn',
      summary: `firewalld treats ${bridges.join(', ')} like any other interface`,
      detail: `firewalld puts ${bridges.join(', ')} in its default zone, which usually refuses DHCP and DNS from the guests and does not forward their traffic.`,
      fix: {
        description: `Put ${bridges.join(', ')} in firewalld's trusted zone (until firewalld reloads).`,
        commands: bridges.map((b) => shellCommand('firewall-cmd', '--zone=trusted', `--add-interface=${b}`)),
        safe: false,
        undo: `Take ${bridges.length === 1 ? 'it' : 'them'} out again: ${bridges.map((b) => shellCommand('firewall-cmd', '--zone=trusted', `--remove-interface=${b}`)).join(' ; ')}`,
      },
    });
  }
  return problems;
}

function describeBackend(facts: DoctorFacts): string {
  const parts = [facts.libvirt.installed ? `libvirt's firewall backend: ${facts.libvirt.firewallBackend ?? 'its default'}` : 'libvirt is not installed'];
  parts.push(facts.firewall.tools.nft ? 'nftables installed' : 'nftables not installed');
  if (facts.firewall.tools.iptablesVariant) parts.push(`iptables uses ${facts.firewall.tools.iptablesVariant}`);
  if (facts.firewall.firewalld.running) parts.push('firewalld running');
  return parts.join('; ');
}

export function checkFirewallBackend(facts: DoctorFacts): Check {
  const problems = [...backendProblems(facts), ...legacyProblems(facts), ...firewalldProblems(facts)];
  if (problems.length === 0) {
    return { id: 'firewall-backend', status: 'ok', summary: 'The firewall tools fit together', detail: `${describeBackend(facts)}. Nothing conflicts.` };
  }
  const status = problems.some((p) => p.status === 'fail') ? 'fail' : 'warn';
  const fix = mergeFixes(problems.flatMap((p) => (p.fix ? [p.fix] : [])));
  return {
    id: 'firewall-backend',
    status,
    summary: problems.find((p) => p.status === status)!.summary,
    detail: problems.map((p) => p.detail).join(' '),
    ...(fix && { fix }),
  };
}
