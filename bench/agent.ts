import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { runCli } from '../main/cli/run-cli';
import type { CliIo } from '../main/cli/cli-io';
import { NetworkSpec } from '../main/core/network/network-spec';
import { describeStep } from '../main/core/plan/describe-step';
import { renderLibvirtNetworkXml } from '../main/core/render/libvirt-network-xml';
import { hostEngine, type NetworkEngine } from '../main/engine/engine';
import type { ObservedNetworkState } from '../main/engine/observed-network-state';
import { observedEngine } from '../main/engine/observed-engine';
import { planBatches } from '../main/helper/batches';
import { LiveHostObserver } from '../main/host/live-host-observer';
import { PrivilegeSession } from '../main/privilege/privilege-session';
import { rootHelperCommand, rootStrategy } from '../main/privilege/root-strategy';
import { AgentRequest, type Action, type AgentResponse, type Contender, type Phase, type Trace } from './agent-protocol';
import { BATCH_PID_FILE, batchScriptCreate, batchScriptDelete } from './batch-script';
import { benchNetworkOf, type BenchNetwork } from './bench-network';
import type { Command } from './command';
import { HAND_PID_FILE, handTypedCreate, handTypedDelete } from './hand-typed';
import { LIBVIRT_URI, virshCreate, virshDelete } from './virsh-network';

/**
 * Runs inside the lab (bundled like the CLI, started through nsenter once) and times each
 * contender there: every process a contender starts is a direct child of this agent, as it
 * would be of the user's shell. JSON lines on stdin and stdout (bench/agent-protocol.ts).
 */

const BENCH_DIR = '/run/kvmnet-bench';

interface Prepared {
  cliPath: string;
  /** the app's root helper, started once and kept running, as the app keeps it for a session */
  session: PrivilegeSession;
  net: BenchNetwork;
  xmlFile: string;
  createArgv: string[];
}
let prepared: Prepared | undefined;

async function runCommand(c: Command): Promise<void> {
  const r = await execa(c.file, c.args, { ...(c.input === undefined ? { stdin: 'ignore' as const } : { input: c.input }), reject: false });
  if (r.exitCode !== 0) throw new Error(`${c.file} ${c.args.join(' ')} exited ${String(r.exitCode)}: ${String(r.stderr).trim()}`);
}

/** a contender's command list, one process after another, timed as a whole */
async function timedCommands(commands: readonly Command[]): Promise<AgentResponse> {
  const phases: Phase[] = [];
  const start = performance.now();
  for (const c of commands) {
    const t = performance.now();
    await runCommand(c);
    // pids differ from run to run; the phase is the same command
    const words = c.args.filter((a) => !a.startsWith('--')).slice(0, 3).map((a) => (/^\d+$/.test(a) ? '<pid>' : a));
    phases.push({ name: c.label ?? [c.file, ...words].join(' '), ms: performance.now() - t });
  }
  return { ok: true, ms: performance.now() - start, processes: commands.length, phases, detail: '' };
}

const readPid = async (file: string): Promise<number> => {
  const pid = Number((await readFile(file, 'utf8')).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} holds no pid`);
  return pid;
};

/**
 * The CLI's commands run in this process on `base`, without node start-up, each phase timed:
 * reading the host, each batch of steps from its start to its outcome (as progress events report
 * them), and what lies around them.
 */
async function timedEngine(argv: string[], base: NetworkEngine, readLabel: string): Promise<AgentResponse> {
  const phases: Phase[] = [];
  let stderr = '';
  const io: CliIo = { stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, interrupted: () => new Promise(() => undefined) };
  const engine: NetworkEngine = {
    async readState() {
      const t = performance.now();
      const state = await base.readState();
      phases.push({ name: readLabel, ms: performance.now() - t });
      return state;
    },
    async run(plan, onProgress, log) {
      const t = performance.now();
      const started = new Map<number, number>();
      const finished = new Map<number, number>();
      const outcome = await base.run(plan, (event) => {
        if (event.status === 'running') started.set(event.index, performance.now());
        if (event.status === 'done') finished.set(event.index, performance.now());
        onProgress(event);
      }, log);
      // the steps of one `ip -batch` run together: one phase per batch, as the engine runs them
      const spans: [number, number][] = [];
      for (const batch of planBatches(plan.steps)) {
        const indices = batch.kind === 'ip' ? batch.indices : [batch.index];
        const from = Math.min(...indices.map((i) => started.get(i) ?? Infinity));
        const to = Math.max(...indices.map((i) => finished.get(i) ?? -Infinity));
        const names = indices.map((i) => describeStep(plan.steps[i]!)).join(', ');
        const label = indices.length > 1 ? `steps ${indices[0]! + 1}-${indices.at(-1)! + 1} (one ip -batch)` : `step ${indices[0]! + 1}`;
        if (Number.isFinite(from) && Number.isFinite(to)) {
          phases.push({ name: `${label} ${names}`, ms: to - from });
          spans.push([from, to]);
        }
      }
      const total = performance.now() - t;
      const firstRunning = Math.min(...started.values());
      const before = (Number.isFinite(firstRunning) ? firstRunning : performance.now()) - t;
      // steps that run side by side (main/helper/stages.ts) overlap: the time in steps is the length of the spans' union
      let inSteps = 0;
      let reached = -Infinity;
      for (const [from, to] of spans.sort((a, b) => a[0] - b[0])) {
        inSteps += Math.max(0, to - Math.max(from, reached));
        reached = Math.max(reached, to);
      }
      phases.push({ name: 'engine in steps (side-by-side steps counted once)', ms: inSteps });
      phases.push({ name: 'engine before the first step (request, journals recovered, links read, plan validated, inverses read, journal written)', ms: before });
      phases.push({ name: 'engine between and after the steps (journal writes of later groups, links read before a delete, journal removal, answer)', ms: total - before - inSteps });
      phases.push({ name: 'engine total', ms: total });
      return outcome;
    },
  };
  const start = performance.now();
  const code = await runCli(argv, io, engine);
  const ms = performance.now() - start;
  if (code !== 0) return { ok: false, error: `kvmnet ${argv.join(' ')} (in process) ended ${code}: ${stderr.trim()}` };
  const accounted = phases.filter((p) => p.name === readLabel || p.name === 'engine total').reduce((sum, p) => sum + p.ms, 0);
  phases.push({ name: 'the rest in process (commander, validation, planning, output)', ms: ms - accounted });
  return { ok: true, ms, processes: 0, phases, detail: '' };
}

/** the app between two clicks: its observer follows the host; started for this contender's turn only, so it never reads the host while others are timed */
let observing: { observer: LiveHostObserver; engine: ReturnType<typeof observedEngine> } | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OBSERVER_START_MS = 1000;

/** untimed: waits until the observer's snapshot shows the bridge present (or gone), as it does long before a user's next click */
async function observerCaughtUp(state: Pick<ObservedNetworkState, 'snapshot'>, bridge: string, present: boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if ((await state.snapshot()).links.some((l) => l.name === bridge) === present) return;
    await sleep(20);
  }
  throw new Error(`the observer did not see ${bridge} ${present ? 'appear' : 'go'} within 5 s`);
}

/** the app's path (main/engine/observed-engine.ts): planning from the observer's current snapshot, the plan run by the session's running helper */
async function appAction(action: Action, argv: string[], session: PrivilegeSession, bridge: string): Promise<AgentResponse> {
  if (!observing) {
    const observer = new LiveHostObserver();
    observing = { observer, engine: observedEngine(observer, () => session.helper()) };
    // untimed: an app's observer has long finished starting (its first read, `ip monitor` and the virsh event loops connecting) before a click
    await observing.engine.snapshot();
    await sleep(OBSERVER_START_MS);
  }
  const { observer, engine } = observing;
  await observerCaughtUp(engine, bridge, action === 'delete');
  try {
    return await timedEngine(argv, engine, 'planning state (observer snapshot; records and forwarding switches read)');
  } finally {
    if (action === 'delete') {
      observing = undefined;
      engine.close();
      await observer.close();
    }
  }
}

async function measure(contender: Contender, action: Action): Promise<AgentResponse> {
  if (!prepared) return { ok: false, error: 'prepare first' };
  const { cliPath, session, net, xmlFile, createArgv } = prepared;
  const argv = action === 'create' ? createArgv : ['delete', net.name];
  switch (contender) {
    case 'kvmnet-app':
      return appAction(action, argv, session, net.bridge);
    case 'kvmnet-cli':
      return timedCommands([{ file: process.execPath, args: [cliPath, ...argv] }]);
    case 'kvmnet-engine':
      return timedEngine(argv, hostEngine, 'read host state (ip, virsh, records)');
    case 'hand-typed':
      return timedCommands(action === 'create' ? handTypedCreate(net) : handTypedDelete(net, await readPid(HAND_PID_FILE)));
    case 'batch-script':
      return timedCommands(action === 'create' ? batchScriptCreate(net) : batchScriptDelete(net, await readPid(BATCH_PID_FILE)));
    case 'virsh':
      return timedCommands(action === 'create' ? virshCreate(net, xmlFile) : virshDelete(net));
  }
}

async function prepare(cliPath: string, helperPath: string, name: string, subnet: string): Promise<AgentResponse> {
  const createArgv = ['create', 'nat', name, '--backend', 'direct', '--subnet', subnet];
  let out = '';
  let err = '';
  const io: CliIo = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, interrupted: () => new Promise(() => undefined) };
  const code = await runCli([...createArgv, '--dry-run', '--json'], io);
  if (code !== 0) return { ok: false, error: `kvmnet ${createArgv.join(' ')} --dry-run ended ${code}: ${err.trim()}` };
  const spec = NetworkSpec.parse((JSON.parse(out) as { network: unknown }).network);
  const net = benchNetworkOf(spec);
  await mkdir(BENCH_DIR, { recursive: true });
  const xmlFile = `${BENCH_DIR}/${name}.xml`;
  // the libvirt backend's own rendering of the same network: what a user would have typed into the file
  await writeFile(xmlFile, renderLibvirtNetworkXml({ ...spec, backend: 'libvirt' }));
  const session = new PrivilegeSession(async () => ({ strategy: rootStrategy(rootHelperCommand({ runtime: process.execPath, script: helperPath })) }));
  const elevated = await session.elevate();
  if (elevated.status !== 'elevated') return { ok: false, error: `the helper did not start: ${JSON.stringify(elevated)}` };
  prepared = { cliPath, session, net, xmlFile, createArgv };
  return { ok: true, ms: 0, processes: 0, phases: [], detail: JSON.stringify(net) };
}

/** single commands the CLI's time is made of, each timed alone: node start-up, and the reads of the host state */
async function probes(): Promise<AgentResponse> {
  if (!prepared) return { ok: false, error: 'prepare first' };
  return timedCommands([
    { file: process.execPath, args: [prepared.cliPath, '--help'], label: 'node kvmnet.cjs --help (node start-up, loading the bundle)' },
    { file: 'virsh', args: ['-c', LIBVIRT_URI, 'net-list', '--all', '--name'], label: 'virsh net-list --all --name' },
    { file: 'virsh', args: ['-c', LIBVIRT_URI, 'list', '--all', '--name'], label: 'virsh list --all --name' },
    { file: 'ip', args: ['-j', '-d', '-s', 'addr', 'show'], label: 'ip -j -d -s addr show' },
    { file: 'ip', args: ['-4', '-j', 'route', 'show'], label: 'ip -4 -j route show' },
  ]);
}

/**
 * What the CLI starts and syncs, from strace: one line per syscall, `<pid> execve("/usr/sbin/ip", …)`.
 * `-b execve` lets go of each child at its exec, so a daemon it starts (dnsmasq) does not keep strace
 * waiting, and the fsyncs counted are node's own (journal, records).
 */
async function trace(action: Action): Promise<AgentResponse> {
  if (!prepared) return { ok: false, error: 'prepare first' };
  const out = `${BENCH_DIR}/strace.txt`;
  const argv = action === 'create' ? prepared.createArgv : ['delete', prepared.net.name];
  await runCommand({ file: 'strace', args: ['-f', '-qq', '-b', 'execve', '-e', 'trace=execve,fsync,fdatasync', '-e', 'signal=none', '-s', '200', '-o', out, process.execPath, prepared.cliPath, ...argv] });
  const lines = (await readFile(out, 'utf8')).split('\n');
  const execs: Record<string, number> = {};
  const commands: string[] = [];
  let fsyncs = 0;
  let traced = false;
  for (const line of lines) {
    const exec = /execve\("([^"]+)".*(= 0|<detached \.\.\.>)$/.exec(line);
    // the first exec is strace starting node itself
    if (exec && !traced) traced = true;
    else if (exec) {
      const name = exec[1]!.slice(exec[1]!.lastIndexOf('/') + 1);
      execs[name] = (execs[name] ?? 0) + 1;
      const argv = /\[(.*?)\]/.exec(line)?.[1] ?? '';
      commands.push(argv.replaceAll('", "', ' ').replaceAll('"', ''));
    }
    if (/\b(fsync|fdatasync)\(.* = 0$/.test(line)) fsyncs++;
  }
  const result: Trace = { execs, commands, fsyncs };
  return { ok: true, ms: 0, processes: Object.values(execs).reduce((a, b) => a + b, 0), phases: [], detail: JSON.stringify(result) };
}

async function answer(line: string): Promise<AgentResponse> {
  const parsed = AgentRequest.safeParse(JSON.parse(line));
  if (!parsed.success) return { ok: false, error: `bad request: ${parsed.error.message}` };
  const request = parsed.data;
  try {
    if (request.kind === 'prepare') return await prepare(request.cliPath, request.helperPath, request.name, request.subnet);
    if (request.kind === 'probes') return await probes();
    if (request.kind === 'trace') return await trace(request.action);
    return await measure(request.contender, request.action);
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

async function main(): Promise<void> {
  // one request at a time: timings must not overlap
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    process.stdout.write(`${JSON.stringify(await answer(line))}\n`);
  }
  await prepared?.session.dispose();
}

void main();
