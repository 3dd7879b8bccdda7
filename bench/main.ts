import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, release } from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { NODE_ENTRIES } from '../vite.node.config';
import { buildNodeBundle, type NodeBundle } from '../tests/lab/build-node-bundle';
import type { HostState } from '../tests/lab/host-state';
import { labUnavailableReason } from '../tests/lab/lab';
import { CONTENDERS, Trace, type Action, type AgentResponse, type Contender } from './agent-protocol';
import { startBenchLab, type BenchLab } from './bench-lab';
import { markdownTable, ratios, summaries, textReport, type Results, type Samples } from './report';
import { summarize } from './stats';

/**
 * Benchmark of issue "Virtual networks" item 8: creating and deleting a direct NAT network with
 * KVMNet against the seeds' hand-typed commands, a hand-written batch script and libvirt, all in
 * one lab, contenders alternating (A B C D A B C D …) so drift hits all of them alike. Prints
 * ratios measured side by side; a missed goal is reported, not a failure. Exits non-zero only
 * when a contender fails or leaves the lab different from how it found it.
 */

const NAME = 'bench';
const SUBNET = '10.90.0.0/24';
const RESULTS = 'bench/results/latest.json';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ContenderError extends Error {}

function expectOk(r: AgentResponse, what: string): Extract<AgentResponse, { ok: true }> {
  if (!r.ok) throw new ContenderError(`${what}: ${r.error}`);
  return r;
}

/** the keys of two host states that differ */
const differences = (a: HostState, b: HostState): string[] =>
  (Object.keys(a) as (keyof HostState)[]).filter((k) => !isDeepStrictEqual(a[k], b[k]));

async function checkUp(bench: BenchLab, contender: Contender, bridge: string, hostAddress: string): Promise<void> {
  const [addr, forward, ruleset, dnsmasq] = await Promise.all([
    bench.lab.run('ip', ['-j', 'addr', 'show', 'dev', bridge]),
    bench.lab.sh('cat', ['/proc/sys/net/ipv4/ip_forward']),
    bench.lab.sh('nft', ['list', 'ruleset']),
    bench.dnsmasqCount(),
  ]);
  const link = (JSON.parse(addr.stdout || '[]') as { flags?: string[]; addr_info?: { local: string; prefixlen: number }[] }[])[0];
  const problems = [
    ...(link?.flags?.includes('UP') ? [] : [`bridge ${bridge} is not up`]),
    ...(link?.addr_info?.some((a) => `${a.local}/${a.prefixlen}` === hostAddress) ? [] : [`${bridge} lacks ${hostAddress}`]),
    ...(forward.trim() === '1' ? [] : ['ip_forward is off']),
    ...(/masquerade/i.test(ruleset) ? [] : ['no masquerade rule']),
    // libvirt runs two: its dnsmasq keeps a root parent for the lease helper
    ...(dnsmasq >= 1 ? [] : ['no dnsmasq runs']),
  ];
  if (problems.length > 0) throw new ContenderError(`${contender} create left the network incomplete: ${problems.join('; ')}`);
}

interface CleanCheck {
  /** ip_forward as the lab had it before any contender ran */
  forward: string;
  /** absent during the warm-up, whose rounds only reset */
  baseline?: HostState;
  notes: Set<string>;
}

const FORWARD = '/proc/sys/net/ipv4/ip_forward';

/** back to the baseline after every delete; processes killed without waiting get a moment to exit (untimed) */
async function checkClean(bench: BenchLab, contender: Contender, clean: CleanCheck): Promise<void> {
  for (let i = 0; i < 100 && (await bench.dnsmasqCount()) > 0; i++) await sleep(20);
  let state = await bench.state();
  if (state.sysctls[FORWARD] !== clean.forward) {
    // libvirt turns forwarding on at net-start and never back off; reset so every contender starts alike
    clean.notes.add(`${contender} leaves net.ipv4.ip_forward at ${state.sysctls[FORWARD]} after deleting; the harness resets it (untimed)`);
    await bench.lab.sh('sysctl', ['-q', '-w', `net.ipv4.ip_forward=${clean.forward}`]);
    state = await bench.state();
  }
  if (!clean.baseline) return;
  const diff = differences(clean.baseline, state);
  if (diff.length > 0) throw new ContenderError(`${contender} delete left the lab changed: ${diff.join(', ')}`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { iterations: { type: 'string', default: '15' }, warmup: { type: 'string', default: '2' } } });
  const iterations = Number(values.iterations);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error('--iterations must be a whole number ≥ 1, e.g. --iterations 15');
  if (!Number.isInteger(warmup) || warmup < 1) throw new Error('--warmup must be a whole number ≥ 1 (the baseline is taken after it), e.g. --warmup 2');
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.error(`bench: cannot run: ${unavailable}`);
    return 2;
  }

  const [cli, helper, agent] = await Promise.all([
    buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet),
    buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']),
    buildNodeBundle('kvmnet-bench-agent', 'bench/agent.ts'),
  ]) as [NodeBundle, NodeBundle, NodeBundle];
  const bench = await startBenchLab(agent.path);
  try {
    const prepared = expectOk(await bench.ask({ kind: 'prepare', cliPath: cli.path, helperPath: helper.path, name: NAME, subnet: SUBNET }), 'prepare');
    const network = JSON.parse(prepared.detail) as { bridge: string; hostAddress: string };
    const before = await bench.state();

    const samples = Object.fromEntries(CONTENDERS.map((c) => [c, { create: [] as number[], delete: [] as number[] }])) as Samples;
    const processes = Object.fromEntries(CONTENDERS.map((c) => [c, { create: 0, delete: 0 }])) as Record<Contender, Record<Action, number>>;
    const phases = Object.fromEntries(CONTENDERS.map((c) => [c, { create: new Map(), delete: new Map() }])) as Record<Contender, Record<Action, Map<string, number[]>>>;
    const probes = new Map<string, number[]>();
    const clean: CleanCheck = { forward: before.sysctls[FORWARD] ?? '0', notes: new Set() };
    /** the 1-minute load average before the first round and after each one */
    const loads = [loadavg()[0]!];

    for (let round = 0; round < warmup + iterations; round++) {
      const recording = round >= warmup;
      for (const contender of CONTENDERS) {
        for (const action of ['create', 'delete'] as const) {
          const r = expectOk(await bench.ask({ kind: 'measure', contender, action }), `${contender} ${action}`);
          if (action === 'create') await checkUp(bench, contender, network.bridge, network.hostAddress);
          if (!recording) continue;
          samples[contender][action].push(r.ms);
          processes[contender][action] = r.processes;
          const mine = phases[contender][action];
          for (const p of r.phases) mine.set(p.name, [...(mine.get(p.name) ?? []), p.ms]);
        }
        await checkClean(bench, contender, clean);
      }
      if (recording) {
        for (const p of expectOk(await bench.ask({ kind: 'probes' }), 'probes').phases) probes.set(p.name, [...(probes.get(p.name) ?? []), p.ms]);
      }
      if (round === warmup - 1) {
        // the first run of each tool leaves lasting traces that are not the network (iptables' and libvirt's empty chains)
        clean.baseline = await bench.state();
        const kept = differences(before, clean.baseline);
        if (kept.length > 0) clean.notes.add(`the warm-up left lasting changes in: ${kept.join(', ')} (the baseline for the clean checks is taken after it)`);
      }
      loads.push(loadavg()[0]!);
      process.stderr.write(`round ${round + 1}/${warmup + iterations}${recording ? '' : ' (warm-up)'} done (load average ${loads.at(-1)!.toFixed(1)})\n`);
    }

    const spawns = {} as Results['profile']['spawns'];
    for (const action of ['create', 'delete'] as const) {
      spawns[action] = Trace.parse(JSON.parse(expectOk(await bench.ask({ kind: 'trace', action }), `kvmnet ${action} under strace`).detail));
      if (action === 'create') await checkUp(bench, 'kvmnet-cli', network.bridge, network.hostAddress);
      const children = Object.values(spawns[action].execs).reduce((a, b) => a + b, 0);
      processes['kvmnet-cli'][action] = 1 + children;
      processes['kvmnet-engine'][action] = children;
      // the helper runs its tools by absolute path; the CLI's reads of the host (which the app's observer makes instead) do not
      processes['kvmnet-app'][action] = spawns[action].commands.filter((c) => c.startsWith('/')).length;
    }
    await checkClean(bench, 'kvmnet-cli', clean);

    const summary = summaries(samples, processes);
    const results: Results = {
      when: new Date().toISOString(),
      iterations,
      warmup,
      environment: { node: process.version, kernel: release(), cpus: String(cpus().length), cpu: cpus()[0]?.model ?? 'unknown' },
      load: { start: loads[0]!, end: loads.at(-1)!, min: Math.min(...loads), max: Math.max(...loads) },
      network: JSON.parse(prepared.detail) as unknown,
      summaries: summary,
      ratios: ratios(summary),
      profile: {
        probes: [...probes].map(([name, ms]) => ({ name, medianMs: summarize(ms).median })),
        phases: Object.fromEntries(CONTENDERS.map((c) => [c, {
          create: [...phases[c].create].map(([name, ms]) => ({ name, medianMs: summarize(ms).median })),
          delete: [...phases[c].delete].map(([name, ms]) => ({ name, medianMs: summarize(ms).median })),
        }])) as Results['profile']['phases'],
        spawns,
      },
      notes: [...clean.notes],
    };
    await mkdir('bench/results', { recursive: true });
    await writeFile(RESULTS, `${JSON.stringify({ ...results, samples }, null, 2)}\n`);
    process.stdout.write(textReport(results));
    process.stdout.write(`\nmarkdown for the README:\n\n${markdownTable(results)}\n\nresults written to ${RESULTS}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ContenderError)) throw e;
    console.error(`bench: ${e.message}`);
    return 1;
  } finally {
    await bench.close();
    await Promise.all([cli.remove(), helper.remove(), agent.remove()]);
  }
}

process.exitCode = await main();
