import { contains, parseCidr, type Cidr } from '../network/cidr';
import type { FirewallChain, FirewallRule, RuleMatch } from './firewall-rules';

/**
 * Which firewall chains would drop a kind of VM traffic ("guests of kvbr0 going out to the
 * internet"). A packet on the forward hook must pass every base chain: an accept ends only its own
 * chain, while a drop in any of them is final. So each base chain is walked on its own, following
 * jumps, and any chain that ends in drop (a rule or its policy) blocks the traffic.
 *
 * Traffic is described, not a single packet: an unknown field (the destination on the internet)
 * or a condition the doctor does not model (ports, sets, marks) makes a rule "maybe" match. A drop
 * is certain only when the rule surely matches and no earlier rule might have accepted instead.
 */

export interface Flow {
  readonly family: 'ip' | 'ip6';
  /** undefined: unknown */
  readonly iif?: string | undefined;
  readonly oif?: string | undefined;
  /** the guests' subnet, when the traffic comes from them */
  readonly saddr?: string | undefined;
  readonly daddr?: string | undefined;
  readonly ctState: 'new' | 'established';
}

export interface Blocker {
  /** the base chain on the forward hook that ends in drop */
  readonly base: FirewallChain;
  /** the chain that holds the dropping rule (base itself, or one it jumps to) */
  readonly chain: FirewallChain;
  /** undefined: the base chain's drop policy */
  readonly rule?: FirewallRule;
  readonly certain: boolean;
}

type Truth = 'yes' | 'no' | 'maybe';
const not = (t: Truth): Truth => (t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'maybe');

function interfaceMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}

/** whether every address of `inner` lies in `outer`, none does, or some do */
function addressTruth(outer: Cidr, inner: Cidr): Truth {
  if (outer.family !== inner.family) return 'no';
  if (outer.prefix <= inner.prefix && contains(outer, inner.network)) return 'yes';
  if (inner.prefix < outer.prefix && contains(inner, outer.network)) return 'maybe';
  return 'no';
}

function matchTruth(match: RuleMatch, flow: Flow): Truth {
  const hit = (() => {
    switch (match.field) {
      case 'iifname':
      case 'oifname': {
        const name = match.field === 'iifname' ? flow.iif : flow.oif;
        if (name === undefined) return 'maybe';
        return match.values.some((v) => interfaceMatches(v, name)) ? 'yes' : 'no';
      }
      case 'saddr':
      case 'daddr': {
        // `ip saddr …` never matches an IPv6 packet, whatever the negation
        if (match.family !== undefined && match.family !== flow.family) return undefined;
        const text = match.field === 'saddr' ? flow.saddr : flow.daddr;
        const subnet = text === undefined ? undefined : parseCidr(text)?.cidr;
        if (subnet === undefined) return 'maybe';
        const truths = match.values.map((v) => parseCidr(v.includes('/') ? v : `${v}/${v.includes(':') ? 128 : 32}`)?.cidr).map((c) => (c ? addressTruth(c, subnet) : 'maybe'));
        return truths.includes('yes') ? 'yes' : truths.includes('maybe') ? 'maybe' : 'no';
      }
      case 'ctstate':
        return match.values.includes(flow.ctState) ? 'yes' : 'no';
      case 'ctstatus':
        // the traffic described here is never port-forwarded (DNAT); other statuses depend on the packet
        return match.values.every((v) => v === 'dnat') ? 'no' : 'maybe';
      case 'other':
        return 'maybe';
    }
  })();
  if (hit === undefined) return 'no';
  return match.negate ? not(hit) : hit;
}

function ruleTruth(rule: FirewallRule, flow: Flow): Truth {
  const truths = rule.matches.map((m) => matchTruth(m, flow));
  return truths.includes('no') ? 'no' : truths.includes('maybe') ? 'maybe' : 'yes';
}

type WalkEnd = { end: 'accept' } | { end: 'fallthrough' } | { end: 'drop'; chain: FirewallChain; rule: FirewallRule };

interface WalkState {
  /** a rule that might have accepted (or returned) was passed: a later drop is not certain */
  uncertain: boolean;
  /** the first drop that might match */
  possible?: { chain: FirewallChain; rule: FirewallRule };
}

/** nft allows jumps 16 deep; a deeper walk means the ruleset is not what it seems */
const MAX_DEPTH = 16;

function walk(chain: FirewallChain, all: readonly FirewallChain[], flow: Flow, state: WalkState, depth: number): WalkEnd {
  for (const rule of chain.rules) {
    const truth = ruleTruth(rule, flow);
    if (truth === 'no') continue;
    switch (rule.verdict) {
      case 'accept':
        if (truth === 'yes') return { end: 'accept' };
        state.uncertain = true;
        break;
      case 'drop':
      case 'reject':
        if (truth === 'yes') return { end: 'drop', chain, rule };
        state.possible ??= { chain, rule };
        break;
      case 'jump':
      case 'goto': {
        const target = all.find((c) => c.source === chain.source && c.family === chain.family && c.table === chain.table && c.name === rule.target);
        if (target === undefined || depth >= MAX_DEPTH) {
          state.uncertain = true;
          break;
        }
        const sub = walk(target, all, flow, state, depth + 1);
        if (truth === 'yes') {
          if (sub.end !== 'fallthrough') return sub;
          if (rule.verdict === 'goto') return sub;
        } else if (sub.end === 'accept') {
          state.uncertain = true;
        } else if (sub.end === 'drop') {
          state.possible ??= { chain: sub.chain, rule: sub.rule };
        }
        break;
      }
      case 'return':
        if (truth === 'yes') return { end: 'fallthrough' };
        state.uncertain = true;
        break;
      case 'other':
        state.uncertain = true;
        break;
      case 'none':
        break;
    }
  }
  return { end: 'fallthrough' };
}

const FAMILIES: Record<Flow['family'], ReadonlySet<string>> = { ip: new Set(['ip', 'inet']), ip6: new Set(['ip6', 'inet']) };

/** every base chain on the forward hook that drops `flow`, certain ones first */
export function forwardBlockers(chains: readonly FirewallChain[], flow: Flow): Blocker[] {
  const blockers: Blocker[] = [];
  for (const base of chains) {
    if (base.hook !== 'forward' || !FAMILIES[flow.family].has(base.family)) continue;
    const state: WalkState = { uncertain: false };
    const result = walk(base, chains, flow, state, 0);
    if (result.end === 'drop') blockers.push({ base, chain: result.chain, rule: result.rule, certain: !state.uncertain });
    else if (result.end === 'fallthrough' && base.policy === 'drop') blockers.push({ base, chain: base, certain: !state.uncertain });
    else if (state.possible) blockers.push({ base, ...state.possible, certain: false });
  }
  return blockers.sort((a, b) => Number(b.certain) - Number(a.certain));
}

/** "the drop policy of chain forward in table ip filter (nftables)", for messages */
export function describeBlocker(blocker: Blocker): string {
  const where = (c: FirewallChain) => `chain ${c.name} in table ${c.family} ${c.table}${c.source === 'iptables-legacy' ? ' (iptables-legacy)' : ''}`;
  return blocker.rule ? `the rule "${blocker.rule.text}" in ${where(blocker.chain)}` : `the drop policy of ${where(blocker.base)}`;
}
