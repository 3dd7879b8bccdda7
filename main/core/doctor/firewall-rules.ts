import { z } from 'zod';

/**
 * Forward-path firewall rules reduced to what decides whether a VM's traffic passes: which
 * interfaces, addresses and connection states a rule matches, and its verdict. nftables JSON and
 * iptables-legacy-save both read into this one shape, so one evaluator covers both.
 */

export const MATCH_FIELDS = ['iifname', 'oifname', 'saddr', 'daddr', 'ctstate', 'ctstatus', 'other'] as const;

export const RuleMatch = z.object({
  /** 'other' is any condition the doctor does not model (ports, marks, sets …): it may or may not match */
  field: z.enum(MATCH_FIELDS),
  negate: z.boolean(),
  /** interface names (a trailing * is a prefix), CIDRs, connection states or statuses; any one matching is a match */
  values: z.array(z.string()),
  /** the family of an address match: ip saddr only ever matches IPv4 packets */
  family: z.enum(['ip', 'ip6']).optional(),
});
export type RuleMatch = z.infer<typeof RuleMatch>;

export const VERDICTS = ['accept', 'drop', 'reject', 'jump', 'goto', 'return', 'none', 'other'] as const;

export const FirewallRule = z.object({
  /** nftables rule handle, when the rule came from nftables */
  handle: z.number().int().optional(),
  matches: z.array(RuleMatch),
  /** 'none': the rule only counts or logs; 'other': queue and similar, treated as letting the packet on */
  verdict: z.enum(VERDICTS),
  /** the chain a jump or goto continues in */
  target: z.string().optional(),
  /** the rule in nft or iptables words, for messages */
  text: z.string(),
});
export type FirewallRule = z.infer<typeof FirewallRule>;

export const FirewallChain = z.object({
  source: z.enum(['nftables', 'iptables-legacy']),
  /** nftables family (ip, ip6, inet, bridge …); iptables-legacy reads as ip */
  family: z.string(),
  table: z.string(),
  name: z.string(),
  /** base chains only */
  hook: z.string().optional(),
  /** base chains only; a regular chain runs only when jumped to */
  policy: z.enum(['accept', 'drop']).optional(),
  rules: z.array(FirewallRule),
});
export type FirewallChain = z.infer<typeof FirewallChain>;

export const FirewallTable = z.object({ family: z.string(), name: z.string() });
export type FirewallTable = z.infer<typeof FirewallTable>;
