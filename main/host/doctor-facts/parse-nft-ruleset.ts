import { z } from 'zod';
import type { FirewallChain, FirewallRule, FirewallTable, RuleMatch } from '../../core/doctor/firewall-rules';

/**
 * `nft -j list ruleset` reduced to the doctor's rule model: every table, and every chain of the
 * tables that hook forward (regular chains too, since base chains jump to them). Expressions the
 * model has no field for become an 'other' match, which may or may not match: the doctor then says
 * "may drop" rather than guessing. Rules iptables-nft could not translate show up as `xt`.
 */

const NftItem = z.record(z.string(), z.unknown());
const NftOutput = z.object({ nftables: z.array(NftItem) });

const NftTableEntry = z.object({ family: z.string(), name: z.string() });
const NftChainEntry = z.object({
  family: z.string(),
  table: z.string(),
  name: z.string(),
  hook: z.string().optional(),
  policy: z.string().optional(),
});
const NftRuleEntry = z.object({
  family: z.string(),
  table: z.string(),
  chain: z.string(),
  handle: z.number().int().optional(),
  expr: z.array(z.record(z.string(), z.unknown())),
});

type Expr = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** a right-hand value as strings: names, addresses, prefixes, set elements; undefined when not literal */
function literals(right: unknown): string[] | undefined {
  if (typeof right === 'string') return right.startsWith('@') ? undefined : [right];
  if (typeof right === 'number') return [String(right)];
  if (Array.isArray(right)) return flatLiterals(right);
  if (!isObject(right)) return undefined;
  if (isObject(right.prefix)) return [`${String(right.prefix.addr)}/${String(right.prefix.len)}`];
  if (Array.isArray(right.set)) return flatLiterals(right.set);
  return undefined;
}

function flatLiterals(items: unknown[]): string[] | undefined {
  const all = items.map(literals);
  return all.every((v) => v !== undefined) ? all.flat() : undefined;
}

const textOf = (values: readonly string[]): string => (values.length === 1 ? values[0]! : `{ ${values.join(', ')} }`);

const INTERFACE_KEYS: Record<string, 'iifname' | 'oifname'> = { iifname: 'iifname', oifname: 'oifname', iif: 'iifname', oif: 'oifname' };

interface Piece {
  match?: RuleMatch;
  text: string;
}

function parseMatch(m: Record<string, unknown>): Piece {
  const negate = m.op === '!=';
  const left = isObject(m.left) ? m.left : {};
  const values = literals(m.right);
  const opText = negate ? '!= ' : '';
  const other = (text: string): Piece => ({ match: { field: 'other', negate: false, values: [] }, text });
  const meta = isObject(left.meta) ? String(left.meta.key) : undefined;
  const payload = isObject(left.payload) ? left.payload : undefined;
  const ct = isObject(left.ct) ? String(left.ct.key) : undefined;
  if (meta !== undefined && INTERFACE_KEYS[meta] && values) {
    const field = INTERFACE_KEYS[meta];
    return { match: { field, negate, values }, text: `${field} ${opText}${textOf(values.map((v) => `"${v}"`))}` };
  }
  if (payload && (payload.protocol === 'ip' || payload.protocol === 'ip6') && (payload.field === 'saddr' || payload.field === 'daddr') && values) {
    return { match: { field: payload.field, negate, values, family: payload.protocol }, text: `${payload.protocol} ${payload.field} ${opText}${textOf(values)}` };
  }
  if ((ct === 'state' || ct === 'status') && values) {
    return { match: { field: ct === 'state' ? 'ctstate' : 'ctstatus', negate, values }, text: `ct ${ct} ${opText}${textOf(values)}` };
  }
  const what = meta ? `meta ${meta}` : payload ? `${String(payload.protocol)} ${String(payload.field)}` : ct ? `ct ${ct}` : 'match';
  return other(`${what} ${opText}${values ? textOf(values) : '…'}`);
}

/** statements that neither match nor decide */
const PASSIVE = new Set(['counter', 'log', 'comment', 'mangle', 'notrack', 'flow']);
/** statements that stop the rule for some packets only */
const CONDITIONAL = new Set(['limit', 'quota', 'ct count', 'meter']);
const XT_TARGETS: Record<string, FirewallRule['verdict']> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'reject', RETURN: 'return' };

function parseRule(entry: z.infer<typeof NftRuleEntry>): FirewallRule {
  const matches: RuleMatch[] = [];
  const texts: string[] = [];
  let verdict: FirewallRule['verdict'] = 'none';
  let target: string | undefined;
  for (const expr of entry.expr as Expr[]) {
    const [key, value] = Object.entries(expr)[0] ?? ['', undefined];
    if (key === 'match' && isObject(value)) {
      const piece = parseMatch(value);
      if (piece.match) matches.push(piece.match);
      texts.push(piece.text);
    } else if (key === 'accept' || key === 'drop' || key === 'reject' || key === 'return') {
      verdict = key;
      texts.push(key);
    } else if ((key === 'jump' || key === 'goto') && isObject(value)) {
      verdict = key;
      target = String(value.target);
      texts.push(`${key} ${target}`);
    } else if (key === 'continue') {
      texts.push(key);
    } else if (key === 'xt' && isObject(value)) {
      const name = String(value.name);
      if (value.type === 'target') {
        verdict = XT_TARGETS[name] ?? 'other';
        texts.push(`xt target ${name}`);
      } else {
        matches.push({ field: 'other', negate: false, values: [] });
        texts.push(`xt match ${name}`);
      }
    } else if (PASSIVE.has(key)) {
      continue;
    } else if (CONDITIONAL.has(key)) {
      matches.push({ field: 'other', negate: false, values: [] });
      texts.push(key);
    } else {
      // queue, nat statements and anything newer than this parser: the packet may leave this chain here
      verdict = 'other';
      texts.push(key);
    }
  }
  return { ...(entry.handle !== undefined && { handle: entry.handle }), matches, verdict, ...(target !== undefined && { target }), text: texts.join(' ') };
}

export interface NftRuleset {
  tables: FirewallTable[];
  chains: FirewallChain[];
  /**
   * tables with rules nft can only show as `xt` (iptables-nft's conntrack and REJECT, for one):
   * iptables-nft-save prints those rules in full
   */
  untranslated: FirewallTable[];
}

export function parseNftRuleset(json: string): NftRuleset {
  const output = NftOutput.parse(JSON.parse(json));
  const tables: FirewallTable[] = [];
  const chains: FirewallChain[] = [];
  const rules: z.infer<typeof NftRuleEntry>[] = [];
  for (const item of output.nftables) {
    if ('table' in item) tables.push(NftTableEntry.parse(item.table));
    else if ('chain' in item) {
      const c = NftChainEntry.parse(item.chain);
      const policy = c.policy === 'accept' || c.policy === 'drop' ? c.policy : undefined;
      chains.push({ source: 'nftables', family: c.family, table: c.table, name: c.name, ...(c.hook !== undefined && { hook: c.hook }), ...(policy && { policy }), rules: [] });
    } else if ('rule' in item) rules.push(NftRuleEntry.parse(item.rule));
  }
  const key = (family: string, table: string, chain: string) => `${family}\u0000${table}\u0000${chain}`;
  const byKey = new Map(chains.map((c) => [key(c.family, c.table, c.name), c]));
  for (const r of rules) byKey.get(key(r.family, r.table, r.chain))?.rules.push(parseRule(r));
  const tableKey = (family: string, table: string) => `${family}\u0000${table}`;
  const forwardTables = new Set(chains.filter((c) => c.hook === 'forward').map((c) => tableKey(c.family, c.table)));
  const xtTables = new Set(rules.filter((r) => r.expr.some((e) => 'xt' in e)).map((r) => tableKey(r.family, r.table)));
  return {
    tables,
    chains: chains.filter((c) => forwardTables.has(tableKey(c.family, c.table))),
    untranslated: tables.filter((t) => xtTables.has(tableKey(t.family, t.name)) && forwardTables.has(tableKey(t.family, t.name))),
  };
}
