import { execa } from 'execa';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { runCli } from '../main/cli/run-cli';
import type { CliIo } from '../main/cli/cli-io';
import type { HostSnapshot } from '../main/core/host-snapshot';
import { NetworkSpec, type NetworkDraft } from '../main/core/network/network-spec';
import { describeStep } from '../main/core/plan/describe-step';
import { renderLibvirtNetworkXml } from '../main/core/render/libvirt-network-xml';
import { hostEngine, type NetworkEngine } from '../main/engine/engine';
import { hostNetworkService } from '../main/services/host-network-service';
import { planBatches } from '../main/helper/batches';
import type { Plan, ProgressEvent } from '../main/helper/protocol';
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
  /** the same network as the wizard sends it */
  appDraft: NetworkDraft;
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

/** when each step of an apply started and finished, from its progress events */
class StepClock {
  readonly started = new Map<number, number>();
  readonly finished = new Map<number, number>();
  readonly onProgress = (event: { index: number; status: string }) => {
    if (event.status === 'running') this.started.set(event.index, performance.now());
    if (event.status === 'done') this.finished.set(event.index, performance.now());
  };
}

/**
 * Where one apply's time went, from `t` (the plan handed over) to `end` (the answer back): one
 * phase per batch of steps as the engine runs them (the steps of one `ip -batch` together), and
 * what lies before, between and after them.
 */
function applyPhases(plan: Plan, clock: StepClock, t: number, end: number): Phase[] {
  const { started, finished } = clock;
  const phases: Phase[] = [];
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
  const total = end - t;
  const firstRunning = Math.min(...started.values());
  const before = (Number.isFinite(firstRunning) ? firstRunning : end) - t;
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
  return phases;
}

/**
 * The CLI's commands run in this process on `base`, without node start-up, each phase timed:
 * reading the host, the apply (applyPhases), and what lies around them.
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
      const clock = new StepClock();
      const outcome = await base.run(plan, (event) => {
        clock.onProgress(event);
        onProgress(event);
      }, log);
      phases.push(...applyPhases(plan, clock, t, performance.now()));
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

interface ApplyTiming {
  plan: Plan;
  clock: StepClock;
  /** when the plan was handed to the helper, and when its answer came */
  t: number;
  end?: number;
}

/**
 * The app between two clicks: the window's network service (main/services/host-network-service.ts)
 * on a live observer, its plans run by the session's helper. Started for this contender's turn
 * only, so the observer never reads the host while the others are timed.
 */
interface App {
  observer: LiveHostObserver;
  networks: ReturnType<typeof hostNetworkService>;
  /** the observer's latest snapshot, as its events deliver them */
  latest: HostSnapshot;
  /** the applies of the action being timed: one */
  applies: ApplyTiming[];
}
let app: App | undefined;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const OBSERVER_START_MS = 1000;

async function startApp(session: PrivilegeSession): Promise<App> {
  const observer = new LiveHostObserver();
  const applies: ApplyTiming[] = [];
  const helper = {
    async apply(plan: Plan, onProgress?: (event: ProgressEvent) => void) {
      const timing: ApplyTiming = { plan, clock: new StepClock(), t: performance.now() };
      applies.push(timing);
      try {
        return await session.helper().apply(plan, (event) => {
          timing.clock.onProgress(event);
          onProgress?.(event);
        });
      } finally {
        timing.end = performance.now();
      }
    },
  };
  const networks = hostNetworkService(observer, { elevate: () => session.elevate(), helper: () => helper }, async () => null);
  const running: App = { observer, networks, latest: await observer.snapshot(), applies };
  observer.subscribe((snapshot) => (running.latest = snapshot));
  // untimed: an app's observer has long finished starting (its first read, `ip monitor` and the virsh event loops connecting) before a click
  await networks.list();
  await sleep(OBSERVER_START_MS);
  return running;
}

/** untimed: waits until the observer's events show the bridge present (or gone), as they do long before a user's next click */
async function observerCaughtUp(running: App, bridge: string, present: boolean): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (running.latest.links.some((l) => l.name === bridge) === present) return;
    await sleep(20);
  }
  throw new Error(`the observer did not see ${bridge} ${present ? 'appear' : 'go'} within 5 s`);
}

/** the app's path: what the window's Create and Delete buttons run, minus the renderer's IPC message */
async function appAction(action: Action, session: PrivilegeSession, net: BenchNetwork, draft: NetworkDraft): Promise<AgentResponse> {
  app ??= await startApp(session);
  const running = app;
  await observerCaughtUp(running, net.bridge, action === 'delete');
  running.applies.length = 0;
  try {
    const start = performance.now();
    const result = action === 'create' ? await running.networks.create('bench', draft) : await running.networks.delete('bench', net.name);
    const ms = performance.now() - start;
    const [timing] = running.applies;
    if (result.status !== 'done' || running.applies.length !== 1 || timing?.end === undefined) return { ok: false, error: `the app's ${action} ended ${result.status}: ${JSON.stringify(result).slice(0, 400)}` };
    const phases = applyPhases(timing.plan, timing.clock, timing.t, timing.end);
    phases.unshift({ name: 'planning (observer snapshot; records and switches read; validation; the plan)', ms: timing.t - start });
    phases.push({ name: 'after the answer (progress and result handed back)', ms: start + ms - timing.end });
    return { ok: true, ms, processes: 0, phases, detail: '' };
  } finally {
    if (action === 'delete') {
      app = undefined;
      await running.observer.close();
    }
  }
}

async function measure(contender: Contender, action: Action): Promise<AgentResponse> {
  if (!prepared) return { ok: false, error: 'prepare first' };
  const { cliPath, session, net, xmlFile, createArgv, appDraft } = prepared;
  const argv = action === 'create' ? createArgv : ['delete', net.name];
  switch (contender) {
    case 'kvmnet-app':
      return appAction(action, session, net, appDraft);
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
  prepared = { cliPath, session, net, xmlFile, createArgv, appDraft: { name, kind: 'nat', backend: 'direct', ipv4: { subnet } } };
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
