import type { DoctorFacts } from './doctor-facts';
import type { FirewallChain } from './firewall-rules';

/** KVMNet's own rules say what KVMNet means to happen; the doctor looks for what others drop */
export const KVMNET_TABLE = { family: 'inet', name: 'kvmnet' } as const;

export interface ForwardChains {
  readonly chains: FirewallChain[];
  /** why part of the firewall could not be read; checks then cannot say the path is clear */
  readonly unreadable?: string;
}

export function forwardChains(facts: DoctorFacts): ForwardChains {
  const { nft, iptablesLegacy } = facts.firewall;
  const chains: FirewallChain[] = [];
  const unreadable: string[] = [];
  if (nft.available) chains.push(...nft.chains.filter((c) => !(c.family === KVMNET_TABLE.family && c.table === KVMNET_TABLE.name)));
  else unreadable.push(`nftables: ${nft.reason}`);
  if (iptablesLegacy.filter?.available) chains.push(...iptablesLegacy.filter.chains);
  else if (iptablesLegacy.filter) unreadable.push(`iptables-legacy: ${iptablesLegacy.filter.reason}`);
  return { chains, ...(unreadable.length > 0 && { unreadable: unreadable.join('; ') }) };
}
