import type { FirewallChain, FirewallRule, RuleMatch } from '../../core/doctor/firewall-rules';

/**
 * `iptables-save -t filter` (legacy or nft variant) read into the doctor's rule model. Options the
 * model has no field for (-p, --dport, other -m modules) become an 'other' match.
 */

const HOOKS: Record<string, string> = { INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output' };
const VERDICTS: Record<string, FirewallRule['verdict']> = { ACCEPT: 'accept', DROP: 'drop', REJECT: 'reject', RETURN: 'return' };
/** targets that let the packet on to the next rule */
const NON_TERMINAL = new Set(['LOG', 'NFLOG', 'MARK', 'CONNMARK', 'TRACE', 'CLASSIFY', 'TCPMSS']);
const FIELD_OPTIONS: Record<string, RuleMatch['field']> = {
  '-i': 'iifname', '--in-interface': 'iifname',
  '-o': 'oifname', '--out-interface': 'oifname',
  '-s': 'saddr', '--source': 'saddr',
  '-d': 'daddr', '--destination': 'daddr',
  '--ctstate': 'ctstate', '--state': 'ctstate',
};

/** iptables-save quotes words with spaces in double quotes, escaping inner quotes */
function words(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!));
}

/** iptables writes interface wildcards as a trailing +, nftables as * */
const interfacePattern = (name: string): string => (name.endsWith('+') ? `${name.slice(0, -1)}*` : name);

function valuesOf(field: RuleMatch['field'], value: string): string[] {
  if (field === 'iifname' || field === 'oifname') return [interfacePattern(value)];
  if (field === 'ctstate') return value.toLowerCase().split(',');
  return value.split(',');
}

function parseRule(args: string[], knownChains: ReadonlySet<string>, family: 'ip' | 'ip6'): FirewallRule {
  const matches: RuleMatch[] = [];
  let verdict: FirewallRule['verdict'] = 'none';
  let target: string | undefined;
  let negate = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '!') {
      negate = true;
      continue;
    }
    const field = FIELD_OPTIONS[arg];
    if (field !== undefined) {
      matches.push({ field, negate, values: valuesOf(field, args[++i] ?? ''), ...((field === 'saddr' || field === 'daddr') && { family }) });
    } else if (arg === '-j' || arg === '-g') {
      const name = args[++i] ?? '';
      if (knownChains.has(name)) {
        verdict = arg === '-j' ? 'jump' : 'goto';
        target = name;
      } else {
        verdict = VERDICTS[name] ?? (NON_TERMINAL.has(name) ? 'none' : 'other');
      }
      // the target's own options (--reject-with …) follow; none of them matter here
      break;
    } else if (arg === '-m') {
      i++;
    } else if (arg.startsWith('-')) {
      matches.push({ field: 'other', negate: false, values: [] });
      while (i + 1 < args.length && !args[i + 1]!.startsWith('-') && args[i + 1] !== '!') i++;
    }
    negate = false;
  }
  return { matches, verdict, ...(target !== undefined && { target }), text: args.join(' ') };
}

export interface IptablesOrigin {
  /** iptables-legacy, or nftables for iptables-nft's tables */
  source: FirewallChain['source'];
  /** ip for iptables, ip6 for ip6tables */
  family: 'ip' | 'ip6';
}

export function parseIptablesSave(text: string, origin: IptablesOrigin): FirewallChain[] {
  const lines = text.split('\n').map((l) => l.trim());
  const start = lines.indexOf('*filter');
  if (start === -1) return [];
  const chains: FirewallChain[] = [];
  const body = lines.slice(start + 1, lines.indexOf('COMMIT', start) === -1 ? undefined : lines.indexOf('COMMIT', start));
  for (const line of body) {
    const declared = /^:(\S+)\s+(\S+)/.exec(line);
    if (!declared) continue;
    const [, name, policy] = declared as unknown as [string, string, string];
    const hook = HOOKS[name];
    chains.push({
      source: origin.source,
      family: origin.family,
      table: 'filter',
      name,
      ...(hook !== undefined && { hook }),
      ...((policy === 'ACCEPT' || policy === 'DROP') && { policy: policy === 'ACCEPT' ? ('accept' as const) : ('drop' as const) }),
      rules: [],
    });
  }
  const names = new Set(chains.map((c) => c.name));
  for (const line of body) {
    if (!line.startsWith('-A ')) continue;
    const [, chain, ...args] = words(line);
    chains.find((c) => c.name === chain)?.rules.push(parseRule(args, names, origin.family));
  }
  return chains;
}
