import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { NODE_ENTRIES } from '../vite.node.config';
import { buildNodeBundle, type NodeBundle } from '../tests/lab/build-node-bundle';
import { labUnavailableReason, startLab, type Lab } from '../tests/lab/lab';
import { PrivilegeSession } from '../main/privilege/privilege-session';
import { spawnHelper } from '../main/privilege/helper-connection';
import { summarize, type Summary } from './stats';

/**
 * Benchmarks of issue 7 item 3 beyond the apply path (bench/main.ts), each printing ratios
 * measured side by side in the same run:
 * - Observe: a full host snapshot with 1,000 taps on 10 bridges against the raw `ip -j` calls
 *   alone (goal ≤ 1.3×);
 * - Helper: cold start to the first answer, against a bare Node answering one line;
 * - elevation prompts per session: N wizards asking for root at once, and more asking later, make
 *   one launch (one password dialog) per session (goal: 1).
 */

const BRIDGES = 10;
const TAPS_PER_BRIDGE = 100;
const RESULTS = 'bench/results/observe-and-helper.json';

/** 10 bridges with 100 taps each, in one `ip -batch` */
async function addTaps(lab: Lab): Promise<void> {
  const lines: string[] = [];
  for (let b = 0; b < BRIDGES; b++) {
    lines.push(`link add kvbb${b} type bridge`, `link set kvbb${b} up`);
    for (let t = 0; t < TAPS_PER_BRIDGE; t++) {
      lines.push(`tuntap add dev kvbt${b}x${t} mode tap user 1000`, `link set kvbt${b}x${t} master kvbb${b}`);
    }
  }
  await lab.sh('ip', ['-batch', '-'], { input: `${lines.join('\n')}\n` });
}

interface ElevationRow {
  wizards: number;
  later: number;
  launches: number;
}

/** one session, `wizards` elevate() calls at once and `later` more once elevated; counts the strategy's launches */
async function promptsPerSession(lab: Lab, helperPath: string, wizards: number, later: number): Promise<ElevationRow> {
  let launches = 0;
  const session = new PrivilegeSession(async () => ({
    strategy: {
      method: 'root',
      readyTimeoutMs: 30_000,
      launch: async () => {
        launches++;
        return spawnHelper({ file: lab.enter[0]!, args: [...lab.enter.slice(1), process.execPath, helperPath], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } });
      },
    },
  }));
  const states = await Promise.all(Array.from({ length: wizards }, () => session.elevate()));
  const again = await Promise.all(Array.from({ length: later }, () => session.elevate()));
  if ([...states, ...again].some((s) => s.status !== 'elevated')) throw new Error(`a session did not elevate: ${JSON.stringify(states)}`);
  await session.dispose();
  return { wizards, later, launches };
}

const ms = (v: number) => v.toFixed(1);
const line = (name: string, s: Summary) => `  ${name.padEnd(58)} ${ms(s.median).padStart(8)} ${ms(s.p90).padStart(8)} ${ms(s.min).padStart(8)}`;

async function benchObserveAndHelper(): Promise<number> {
  const { values } = parseArgs({ options: { iterations: { type: 'string', default: '15' } }, strict: false });
  const iterations = Number(values.iterations);
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.error(`bench: cannot run: ${unavailable}`);
    return 2;
  }
  const [agent, helper] = await Promise.all([
    buildNodeBundle('kvmnet-observe-bench', 'bench/observe-agent.ts'),
    buildNodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper']),
  ]) as [NodeBundle, NodeBundle];
  const lab = await startLab();
  try {
    // no libvirtd in this lab, and none of the machine's reachable through /run
    await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
    await addTaps(lab);
    const out = await lab.sh(process.execPath, [agent.path, String(iterations), helper.path]);
    const samples = JSON.parse(out) as { observe: number[]; rawIp: number[]; links: number; helperStart: number[]; bareNode: number[] };
    const s = { observe: summarize(samples.observe), rawIp: summarize(samples.rawIp), helperStart: summarize(samples.helperStart), bareNode: summarize(samples.bareNode) };
    const observeRatio = s.observe.median / s.rawIp.median;
    const helperRatio = s.helperStart.median / s.bareNode.median;

    const elevation: ElevationRow[] = [];
    for (const wizards of [1, 3, 10]) elevation.push(await promptsPerSession(lab, helper.path, wizards, 5));
    const worst = Math.max(...elevation.map((e) => e.launches));

    const report = [
      `observe and helper, ${iterations} iterations after 2 warm-ups, contenders alternating in one lab process`,
      `  ${''.padEnd(58)} ${'median'.padStart(8)} ${'p90'.padStart(8)} ${'min'.padStart(8)}  (ms)`,
      line(`full snapshot (observeHost), ${samples.links} links`, s.observe),
      line('the raw ip -j calls alone (addr -d -s, -4 route, -6 route)', s.rawIp),
      line('helper: spawn → ping answered (journal recovery included)', s.helperStart),
      line('bare node: spawn → one line answered', s.bareNode),
      '',
      'ratios of medians:',
      `  observe / raw ip -j                     ${observeRatio.toFixed(2)}×   goal ≤ 1.3×: ${observeRatio <= 1.3 ? 'MET' : 'MISSED'}`,
      `  helper cold start / bare node           ${helperRatio.toFixed(2)}×`,
      '',
      'elevation prompts per session (strategy launches, each would be one password dialog):',
      ...elevation.map((e) => `  ${String(e.wizards).padStart(2)} wizard(s) elevating at once, then ${e.later} more: ${e.launches} launch(es)`),
      `  prompts per session: ${worst}   goal 1: ${worst === 1 ? 'MET' : 'MISSED'}`,
    ].join('\n');
    process.stdout.write(`\n${report}\n`);
    await mkdir('bench/results', { recursive: true });
    const when = new Date().toISOString();
    await writeFile(RESULTS, `${JSON.stringify({ when, iterations, links: samples.links, summaries: s, ratios: { observeOverRawIp: observeRatio, helperOverBareNode: helperRatio }, elevation, samples }, null, 2)}\n`);
    process.stdout.write(`results written to ${RESULTS}\n`);
    return 0;
  } finally {
    await lab.close();
    await Promise.all([agent.remove(), helper.remove()]);
  }
}

const code = await benchObserveAndHelper();
if (code !== 0) process.exitCode = code;
