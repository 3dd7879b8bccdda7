import type { Action, Contender, Trace } from './agent-protocol';
import { summarize, type Summary } from './stats';

export const LABELS: Record<Contender, string> = {
  'kvmnet-app': 'KVMNet app path (the window\'s network service: observer snapshot + running helper)',
  'kvmnet-cli': 'KVMNet CLI, cold (`kvmnet create/delete`, node start-up)',
  'kvmnet-engine': 'KVMNet CLI engine in a warm process (reads host)',
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
  goal?: { text: string; met: boolean; /** the median the goal needs, against the one measured */ needs: string };
}

export interface Results {
  when: string;
  iterations: number;
  warmup: number;
  environment: Record<string, string>;
  /** the machine's 1-minute load average at the start and the end of the run, and its range over the rounds */
  load: { start: number; end: number; min: number; max: number };
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

/**
 * Ratios of medians measured in the same run. The issue's goals are judged on the path the app
 * takes (a running helper, planning from the observer's snapshot); the cold CLI pays node start-up
 * and a fresh read of the host on top, and its ratios are shown beside for information.
 */
export function ratios(s: Results['summaries']): Ratio[] {
  const m = (c: Contender, a: Action) => s[c][a].median;
  const out: Ratio[] = [];
  for (const action of ['create', 'delete'] as const) {
    const appOverBatch = m('kvmnet-app', action) / m('batch-script', action);
    const virshOverApp = m('virsh', action) / m('kvmnet-app', action);
    const judged = action === 'create';
    out.push(
      { name: 'KVMNet app path / (c) batch script', action, value: appOverBatch, ...(judged && { goal: { text: '≤ 1.5×', met: appOverBatch <= 1.5, needs: `app ≤ ${(1.5 * m('batch-script', action)).toFixed(1)} ms, measured ${m('kvmnet-app', action).toFixed(1)} ms` } }) },
      { name: '(d) virsh / KVMNet app path', action, value: virshOverApp, ...(judged && { goal: { text: '≥ 5×', met: virshOverApp >= 5, needs: `app ≤ ${(m('virsh', action) / 5).toFixed(1)} ms, measured ${m('kvmnet-app', action).toFixed(1)} ms` } }) },
      // how far ahead of libvirt the bare tools are, run one after another; KVMNet can go further: it starts fewer processes (sysctls and a link's flags written as files, the links read from sysfs) and loads the firewall while the bridge and dnsmasq start
      { name: '(d) virsh / (c) batch script (the tools alone)', action, value: m('virsh', action) / m('batch-script', action) },
      { name: 'KVMNet CLI cold / (c) batch script', action, value: m('kvmnet-cli', action) / m('batch-script', action) },
      { name: '(d) virsh / KVMNet CLI cold', action, value: m('virsh', action) / m('kvmnet-cli', action) },
      { name: 'KVMNet CLI cold / (b) hand-typed', action, value: m('kvmnet-cli', action) / m('hand-typed', action) },
      { name: 'KVMNet CLI warm engine / (c) batch script', action, value: m('kvmnet-engine', action) / m('batch-script', action) },
    );
  }
  return out;
}

/** what each contender does beyond the network itself, so the ratios can be read for what they compare */
export const SAME_WORK = [
  'every contender builds the same network: the bridge with the host address, up; NAT with the same nftables rules (KVMNet renders the batch script\'s ruleset); net.ipv4.ip_forward on; dnsmasq serving DHCP and DNS on the bridge only. (c) also turns IPv6 off on the bridge, as KVMNet and libvirt do; (b), the seeds\' recipe, does not, and uses iptables.',
  'KVMNet does more than (b) and (c), in every figure: it validates the request against the host, the helper validates the plan again against the kernel (ownership, clashes), writes a crash-safe journal before the steps run and removes it after, and persists the network (its record under /etc/kvmnet/networks, the boot unit and its enablement link, the firewall\'s network file, dnsmasq\'s configuration), every file written atomically with fsync. (b) and (c) persist nothing and cannot roll back.',
  'the lab\'s /etc, /var/lib and /run are overlays on tmpfs, so an fsync costs nothing here; on a disk, add the fsyncs counted below times the disk\'s flush latency.',
  '(d) libvirt starts its own dnsmasq (two processes), writes its firewall rules and keeps the network\'s definition and status files.',
];

const ms = (v: number) => v.toFixed(1);
const times = (v: number) => `${v.toFixed(2)}×`;
const loadText = (l: Results['load']) =>
  `load average (1 min) ${l.start.toFixed(1)} at the start, ${l.end.toFixed(1)} at the end, ${l.min.toFixed(1)}–${l.max.toFixed(1)} over the rounds`;
const goalText = (r: Ratio) => (r.goal ? `goal ${r.goal.text}: ${r.goal.met ? 'MET' : 'MISSED'} (${r.goal.needs})` : '');

export function textReport(r: Results): string {
  const rows = (Object.keys(r.summaries) as Contender[]).map((c) => {
    const s = r.summaries[c];
    return `  ${LABELS[c].padEnd(72)} ${ms(s.create.median).padStart(8)} ${ms(s.create.p90).padStart(8)} ${ms(s.delete.median).padStart(8)} ${ms(s.delete.p90).padStart(8)}   ${s.create.processes}/${s.delete.processes}`;
  });
  const lines = [
    `direct NAT network ${r.iterations} iterations (+${r.warmup} warm-up), contenders alternating in one run`,
    `  ${loadText(r.load)}, ${r.environment.cpus} CPUs: on a shared machine the figures swing with it`,
    `  ${'contender'.padEnd(72)} ${'create'.padStart(8)} ${'p90'.padStart(8)} ${'delete'.padStart(8)} ${'p90'.padStart(8)}   processes`,
    `  ${''.padEnd(72)} ${'median'.padStart(8)} ${'ms'.padStart(8)} ${'median'.padStart(8)} ${'ms'.padStart(8)}`,
    ...rows,
    '',
    'same work?',
    ...SAME_WORK.map((w) => `  - ${w}`),
    '',
    'ratios of medians:',
    ...r.ratios.map((x) => `  ${x.action.padEnd(6)} ${x.name.padEnd(40)} ${times(x.value).padStart(8)}   ${goalText(x)}`),
    '',
    `fastest runs (min, ms; on a loaded machine the least disturbed run of each), for information: ${(Object.keys(r.summaries) as Contender[]).map((c) => `${c} ${ms(r.summaries[c].create.min)}/${ms(r.summaries[c].delete.min)}`).join(', ')}`,
    `  create, ratios of minimums: app / (c) ${times(r.summaries['kvmnet-app'].create.min / r.summaries['batch-script'].create.min)}, (d) / app ${times(r.summaries.virsh.create.min / r.summaries['kvmnet-app'].create.min)}`,
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
  const PHASE_LABELS = { 'kvmnet-app': 'KVMNet app path', 'kvmnet-engine': 'KVMNet CLI warm engine', 'batch-script': '(c) batch script, per command' } as const;
  for (const action of ['create', 'delete'] as const) {
    for (const c of ['kvmnet-app', 'kvmnet-engine', 'batch-script'] as const) {
      lines.push(`  ${action}, ${PHASE_LABELS[c]}:`);
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
  const goals = r.ratios.filter((x) => x.goal).map((x) => `| ${x.name} (${x.action}) | ${times(x.value)} | ${x.goal!.text} | ${x.goal!.met ? 'met' : 'missed'} (${x.goal!.needs}) |`);
  const info = r.ratios.filter((x) => !x.goal).map((x) => `| ${x.name} (${x.action}) | ${times(x.value)} | – | – |`);
  return [
    ...head, ...rows, '',
    '| ratio of medians | value | goal | |', '|---|---:|---|---|', ...goals, ...info, '',
    `${r.iterations} iterations after ${r.warmup} warm-up, contenders alternating, inside a lab namespace with libvirtd running (${r.environment.node}, kernel ${r.environment.kernel}, ${r.environment.cpus} CPUs; ${loadText(r.load)}).`,
  ].join('\n');
}
