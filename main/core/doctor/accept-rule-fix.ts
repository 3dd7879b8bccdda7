import type { Fix } from './doctor-report';
import type { FirewallChain } from './firewall-rules';
import type { Blocker } from './forward-blockers';
import { shellCommand } from '../shell-quote';

/**
 * The fix for a firewall that drops a network's forwarded traffic: accept the bridge's traffic in
 * the chain that drops it, the way that firewall's owner expects. An accept in KVMNet's own table
 * would not help: a drop in any base chain on the hook is final. None of these is `safe`: each
 * changes a firewall another program (Docker, firewalld, the distribution) owns, and none survives
 * that program reloading its rules.
 */

/** chains iptables-nft created: its tables mirror iptables' own names */
const IPTABLES_BUILTIN_CHAINS = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);
const isIptablesNft = (chain: FirewallChain): boolean =>
  chain.source === 'nftables' && (chain.family === 'ip' || chain.family === 'ip6') && IPTABLES_BUILTIN_CHAINS.has(chain.name);

const isFirewalld = (chain: FirewallChain): boolean => chain.source === 'nftables' && chain.family === 'inet' && chain.table === 'firewalld';

/** Docker jumps to DOCKER-USER first from FORWARD and leaves what users put there alone when it restarts */
const DOCKER_USER = 'DOCKER-USER';

function iptablesFix(binary: string, chain: string, bridge: string): Fix {
  const rules = [
    ['-i', bridge, '-j', 'ACCEPT'],
    ['-o', bridge, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
  ];
  return {
    description: `Accept ${bridge}'s traffic at the top of the ${chain} chain (${binary}).`,
    commands: rules.map((r) => shellCommand(binary, '-I', chain, ...r)),
    safe: false,
    undo: `Delete both rules: ${rules.map((r) => shellCommand(binary, '-D', chain, ...r)).join(' ; ')}`,
  };
}

export function acceptRuleFix(blocker: Blocker, bridge: string, chains: readonly FirewallChain[]): Fix {
  const base = blocker.base;
  if (isFirewalld(base)) {
    return {
      description: `Put ${bridge} in firewalld's trusted zone, which forwards its traffic (until firewalld reloads).`,
      commands: [shellCommand('firewall-cmd', '--zone=trusted', `--add-interface=${bridge}`)],
      safe: false,
      undo: `Take it out again: ${shellCommand('firewall-cmd', '--zone=trusted', `--remove-interface=${bridge}`)}`,
    };
  }
  if (base.source === 'iptables-legacy' || isIptablesNft(base)) {
    const binary = base.source === 'iptables-legacy' ? 'iptables-legacy' : base.family === 'ip6' ? 'ip6tables' : 'iptables';
    const docker = chains.some((c) => c.source === base.source && c.family === base.family && c.table === base.table && c.name === DOCKER_USER);
    return iptablesFix(binary, docker ? DOCKER_USER : base.name, bridge);
  }
  const where = [base.family, base.table, base.name];
  return {
    description: `Accept ${bridge}'s traffic at the top of chain ${base.name} in table ${base.family} ${base.table}.`,
    commands: [
      shellCommand('nft', 'insert', 'rule', ...where, 'iifname', `"${bridge}"`, 'accept'),
      shellCommand('nft', 'insert', 'rule', ...where, 'oifname', `"${bridge}"`, 'ct', 'state', 'established,related', 'accept'),
    ],
    safe: false,
    undo: `List the chain with handles (${shellCommand('nft', '-a', 'list', 'chain', ...where)}) and delete both rules by handle: ${shellCommand('nft', 'delete', 'rule', ...where, 'handle', 'N')}`,
  };
}
