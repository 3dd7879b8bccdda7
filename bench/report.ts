import type { Action, Contender, Trace } from './agent-protocol';
import { summarize, type Summary } from './stats';

export const LABELS: Record<Contender, string> = {
  'kvmnet-cli': 'KVMNet CLI (`kvmnet create/delete`, node start-up included)',
  'kvmnet-engine': 'KVMNet engine in a warm process (no node start-up)',
  'hand-typed': '(b) hand-typed, one process per command',
  'batch-script': '(c) `ip -batch` + `nft -f` + sysctl + dnsmasq',
  virsh: '(d) `virsh net-define` + `net-start` / `net-destroy` + `net-undefine`',
};

export type Samples = Record<Contender, Record<Action, number[]>>;

export interface Ratio {
  name: string;
  action: Action;
  value: number;
  /** what the issue asks for; absent for ratios shown for information */
  goal?: { text: string; met: boolean };
}

export interface Results {
  when: string;
  iterations: number;
  warmup: number;
  environment: Record<string, string>;
  network: unknown;
  summaries: Record<Contender, Record<Action, Summary & { processes: number }>>;
  ratios: Ratio[];
  profile: { probes: { name: string; medianMs: number }[]; phases: Record<Contender, Record<Action, { name: string; medianMs: number }[]>>; spawns: Record<Action, Trace> };
  notes: string[];
}

export function summaries(samples: Samples, processes: Record<Contender, Record<Action, number>>): Results['summaries'] {
  const out = {} as Results['summaries'];
  for (const c of Object.keys(samples) as Contender[]) {
    out[c] = {
      create: { ...summarize(samples[c].create), processes: processes[c].create },
      delete: { ...summarize(samples[c].delete), processes: processes[c].delete },
    };
  }
  return out;
}

/** ratios of medians measured in the same run; the goals are the issue's, judged on the CLI a user runs */
export function ratios(s: Results['summaries']): Ratio[] {
  const m = (c: Contender, a: Action) => s[c][a].median;
  const out: Ratio[] = [];
  for (const action of ['create', 'delete'] as const) {
    const kvmOverBatch = m('kvmnet-cli', action) / m('batch-script', action);
    const virshOverKvm = m('virsh', action) / m('kvmnet-cli', action);
    out.push(
      { name: 'KVMNet CLI / (c) batch script', action, value: kvmOverBatch, goal: { text: '≤ 1.5×', met: kvmOverBatch <= 1.5 } },
      { name: '(d) virsh / KVMNet CLI', action, value: virshOverKvm, ...(action === 'create' && { goal: { text: '≥ 5×', met: virshOverKvm >= 5 } }) },
      { name: 'KVMNet CLI / (b) hand-typed', action, value: m('kvmnet-cli', action) / m('hand-typed', action) },
      { name: 'KVMNet warm engine / (c) batch script', action, value: m('kvmnet-engine', action) / m('batch-script', action) },
      { name: '(d) virsh / KVMNet warm engine', action, value: m('virsh', action) / m('kvmnet-engine', action) },
    );
  }
  return out;
}

const ms = (v: number) => v.toFixed(1);
const times = (v: number) => `${v.toFixed(2)}×`;
const goalText = (r: Ratio) => (r.goal ? `goal ${r.goal.text}: ${r.goal.met ? 'MET' : 'MISSED'}` : '');

export function textReport(r: Results): string {
  const rows = (Object.keys(r.summaries) as Contender[]).map((c) => {
    const s = r.summaries[c];
    return `  ${LABELS[c].padEnd(72)} ${ms(s.create.median).padStart(8)} ${ms(s.create.p90).padStart(8)} ${ms(s.delete.median).padStart(8)} ${ms(s.delete.p90).padStart(8)}   ${s.create.processes}/${s.delete.processes}`;
  });
  const lines = [
    `direct NAT network ${r.iterations} iterations (+${r.warmup} warm-up), contenders alternating in one run`,
    `  ${'contender'.padEnd(72)} ${'create'.padStart(8)} ${'p90'.padStart(8)} ${'delete'.padStart(8)} ${'p90'.padStart(8)}   processes`,
    `  ${''.padEnd(72)} ${'median'.padStart(8)} ${'ms'.padStart(8)} ${'median'.padStart(8)} ${'ms'.padStart(8)}`,
    ...rows,
    '',
    'ratios of medians:',
    ...r.ratios.map((x) => `  ${x.action.padEnd(6)} ${x.name.padEnd(40)} ${times(x.value).padStart(8)}   ${goalText(x)}`),
    '',
    'where the KVMNet CLI\'s time goes (medians)',
    '  single commands timed alone:',
    ...r.profile.probes.map((p) => `    ${ms(p.medianMs).padStart(7)} ms  ${p.name}`),
  ];
  for (const action of ['create', 'delete'] as const) {
    const t = r.profile.spawns[action];
    const total = Object.values(t.execs).reduce((a, b) => a + b, 0);
    const each = Object.entries(t.execs).sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ×${n}`).join(', ');
    lines.push(`  kvmnet ${action} (strace -f, untimed run) starts ${total} processes (${each}) and makes ${t.fsyncs} fsync/fdatasync calls:`);
    for (const c of t.commands) lines.push(`    ${c}`);
  }
  for (const action of ['create', 'delete'] as const) {
    for (const c of ['kvmnet-engine', 'batch-script'] as const) {
      lines.push(`  ${action}, ${c === 'kvmnet-engine' ? 'KVMNet warm engine' : '(c) batch script, per command'}:`);
      for (const p of r.profile.phases[c][action]) lines.push(`    ${ms(p.medianMs).padStart(7)} ms  ${p.name}`);
    }
  }
  if (r.notes.length > 0) lines.push('', 'notes:', ...r.notes.map((n) => `  - ${n}`));
  return `${lines.join('\n')}\n`;
}

export function markdownTable(r: Results): string {
  const head = ['| contender | create median (ms) | create p90 | delete median (ms) | delete p90 | processes (create/delete) |', '|---|---:|---:|---:|---:|---:|'];
  const rows = (Object.keys(r.summaries) as Contender[]).map((c) => {
    const s = r.summaries[c];
    return `| ${LABELS[c]} | ${ms(s.create.median)} | ${ms(s.create.p90)} | ${ms(s.delete.median)} | ${ms(s.delete.p90)} | ${s.create.processes}/${s.delete.processes} |`;
  });
  const goals = r.ratios.filter((x) => x.goal).map((x) => `| ${x.name} (${x.action}) | ${times(x.value)} | ${x.goal!.text} | ${x.goal!.met ? 'met' : 'missed'} |`);
  const info = r.ratios.filter((x) => !x.goal).map((x) => `| ${x.name} (${x.action}) | ${times(x.value)} | – | – |`);
  return [
    ...head, ...rows, '',
    '| ratio of medians | value | goal | |', '|---|---:|---|---|', ...goals, ...info, '',
    `${r.iterations} iterations after ${r.warmup} warm-up, contenders alternating, inside a lab namespace with libvirtd running (${r.environment.node}, kernel ${r.environment.kernel}, ${r.environment.cpus} CPUs).`,
  ].join('\n');
}
