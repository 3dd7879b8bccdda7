import { ApplyLockTimeout, withApplyLock } from './apply-lock';
import type { AheadTool, HostIo } from './host-io';
import type { Journal, JournalEntry, ProcessIdentity } from './journal';
import type { JournalStore } from './journal-store';
import type { LinkMap } from './link-facts';
import { planBatches, type Batch } from './batches';
import { hostOpFor, ipOpFor } from './ops/registry';
import { isHostStep, type HostStep, type LineContext } from './ops/op';
import { journalGroups, leavesLinksAlone } from './journal-groups';
import { stagesOf, type Stage } from './stages';
import { IPV6_PRESENCE_PATH, sysctlSet } from './ops/sysctl-set';
import { validatePlan } from './plan-validation';
import { readPlanState, UnreadableFact, type PlanState } from './plan-state';
import type { ApplyResult, HelperError, Plan, ProgressEvent, Step } from './protocol';
import { rollBack } from './rollback';
import { propagatingForwardingFamily, sysctlTarget } from './sysctl-key';

export interface ApplyContext extends LineContext {
  io: HostIo;
  store: JournalStore;
  writer: ProcessIdentity;
  requestId: string;
  applyId: string;
  now(): string;
  emit(event: Pick<ProgressEvent, 'index' | 'op' | 'status' | 'message'>): void;
}

export type ApplyOutcome = { ok: true; result: ApplyResult } | { ok: false; error: HelperError };

interface BatchFailure {
  index: number;
  reason: string;
  /** steps that may have partly run: their (tolerant) inverses run first */
  partial: JournalEntry[];
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Runs a plan: validate it whole, then group by group (journal-groups.ts) journal the inverses
 * and run the group's batches, stage by stage (stages.ts: a dnsmasq step beside the firewall
 * steps next to it, everything else alone, in plan order). On a failure every completed step is undone, newest first, and
 * the answer says what failed and what (if anything) could not be restored. The journal
 * disappears only when the host is consistent again.
 * Applies on one host never overlap (apply-lock.ts).
 */
export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyOutcome> {
  try {
    return await withApplyLock(context.store.dir, () => applyUnlocked(plan, context));
  } catch (e) {
    if (!(e instanceof ApplyLockTimeout)) throw e;
    return { ok: false, error: { code: 'BUSY', message: `${e.message}; nothing ran: try again once it has finished` } };
  }
}

/**
 * The tools that steps from index `from` on will feed. They are started while the plan's first
 * stage runs (HostIo.startAhead): a process starting takes a few ms of the helper's own time and
 * then some of a core, which costs least while the helper only waits for that stage's tool. An
 * apply that fails before their steps ends them unfed, and they will have done nothing.
 */
function toolsAhead(steps: readonly Step[], from: number): AheadTool[] {
  const later = planBatches(steps).filter((b) => (b.kind === 'ip' ? b.indices[0]! : b.index) >= from);
  // a batch that only brings bridges up usually goes through sysfs (upThroughSysfs)
  const ip = later.some((b) => b.kind === 'ip' && b.indices.some((i) => steps[i]!.op !== 'link.setState'));
  const nft = later.some((b) => b.kind === 'single' && steps[b.index]!.op === 'nft.network');
  return [...(ip ? ['ipBatch' as const] : []), ...(nft ? ['nftScript' as const] : [])];
}

/** the first step after a stage */
const stageEnd = (stage: Stage): number => Math.max(...stage.flat().flatMap((b) => (b.kind === 'ip' ? b.indices : [b.index]))) + 1;

async function applyUnlocked(plan: Plan, context: ApplyContext): Promise<ApplyOutcome> {
  let endAhead: (() => Promise<void>) | undefined;
  const startAhead = (firstStage: Stage) => {
    endAhead ??= context.io.startAhead(toolsAhead(plan.steps, stageEnd(firstStage)));
  };
  try {
    return await applyStarted(plan, context, startAhead);
  } finally {
    await endAhead?.();
  }
}

async function applyStarted(plan: Plan, context: ApplyContext, startAhead: (firstStage: Stage) => void): Promise<ApplyOutcome> {
  const { io, store } = context;
  let state: PlanState;
  try {
    state = await readPlanState(plan, io);
  } catch (e) {
    if (!(e instanceof UnreadableFact)) throw e;
    const failedOp = plan.steps[e.index]!.op;
    return {
      ok: false,
      error: { code: 'APPLY_FAILED', message: `step ${e.index} (${failedOp}) failed: ${e.message}; nothing had run`, failure: { failedIndex: e.index, failedOp, reason: e.message, undone: 0, left: [] } },
    };
  }
  const refusal = validatePlan(plan, state);
  if (refusal) return { ok: false, error: refusal };
  /**
   * The links as the steps so far have left them. Validation simulated every step, so the kernel
   * is read again only where an inverse needs what only the kernel knows: before a link.delete,
   * once other link steps or sysctl writes have run since the last read.
   */
  let links: LinkMap = state.links;
  let linksRead = true;
  /** the MAC each bridge created by this apply was given: the proof that /sys/class/net shows that very bridge */
  const bridgeMacs = new Map<string, string>();

  const journal: Journal = {
    format: 1, applyId: context.applyId, requestId: context.requestId, writer: context.writer,
    startedAt: context.now(), plan, done: [], running: [],
  };
  const progress = (index: number, status: ProgressEvent['status'], message?: string) =>
    context.emit({ index, op: plan.steps[index]!.op, status, ...(message === undefined ? {} : { message }) });

  let failure: BatchFailure | undefined;
  for (const group of journalGroups(planBatches(plan.steps), plan.steps)) {
    const first = group[0]!;
    try {
      const deletes = group.some((b) => b.kind === 'ip' && b.indices.some((i) => plan.steps[i]!.op === 'link.delete'));
      if (deletes && !linksRead) {
        links = await io.readLinks({ sysctls: true });
        linksRead = true;
      }
      const prepared = await prepareGroup(group, plan.steps, links, bridgeMacs, context);
      links = prepared.at(-1)?.ready.links ?? links;
      // one durable write for the group, before any of its steps runs: a group whose journal could not be written never runs
      await store.write({ ...journal, running: prepared.flatMap((p) => p.ready.entries) });
      const ready = new Map(prepared.map((p) => [p.batch, p.ready]));
      for (const stage of stagesOf(group, plan.steps)) {
        const running = runStage(stage.map((lane) => lane.map((b) => ready.get(b)!)), progress);
        // after runStage has set this stage's own tools going: they start first
        startAhead(stage);
        const outcome = await running;
        journal.done.push(...outcome.done);
        failure = outcome.failure;
        if (failure) break;
        if (outcome.linksChanged) linksRead = false;
      }
    } catch (e) {
      // a step whose inverse could not be read is the one that failed; else the host could not be read
      // or the journal not written. Either way nothing of the group ran
      const index = e instanceof PreparationFailure ? e.index : first.kind === 'ip' ? first.indices[0]! : first.index;
      failure = { index, reason: errorMessage(e instanceof PreparationFailure ? e.cause : e), partial: [] };
      progress(failure.index, 'failed', failure.reason);
    }
    if (failure) break;
  }

  if (!failure) {
    await store.remove(journal.applyId);
    return { ok: true, result: { applied: plan.steps.length } };
  }

  journal.running = failure.partial;
  const completed = new Set(journal.done);
  const { restored, left } = await rollBack(journal, io, store, {
    undoing: (e) => progress(e.index, 'undoing'),
    undone: (e) => progress(e.index, 'undone'),
    undoFailed: (e, problems) => progress(e.index, 'undo-failed', problems.join('; ')),
  });
  await store.remove(journal.applyId);
  const undone = restored.filter((e) => completed.has(e)).length;
  const failedOp = plan.steps[failure.index]!.op;
  const head = `step ${failure.index} (${failedOp}) failed: ${failure.reason}`;
  return {
    ok: false,
    error: left.length === 0
      ? { code: 'APPLY_FAILED', message: `${head}; the ${undone} completed step(s) were undone and the host is as before`, failure: { failedIndex: failure.index, failedOp, reason: failure.reason, undone, left } }
      : { code: 'ROLLBACK_INCOMPLETE', message: `${head}; ${left.length} thing(s) could not be restored: ${left.join('; ')}`, failure: { failedIndex: failure.index, failedOp, reason: failure.reason, undone, left } },
  };
}

type Progress = (index: number, status: ProgressEvent['status'], message?: string) => void;

/** what running a batch came to: the entries it completed and, when it failed, how */
interface BatchResult {
  done: JournalEntry[];
  failure?: BatchFailure;
}

/** a batch with its inverses computed, ready to run once they are on disk */
interface PreparedBatch {
  entries: JournalEntry[];
  /** the links as they are once the batch has run */
  links: LinkMap;
  leavesLinksAlone: boolean;
  run(progress: Progress): Promise<BatchResult>;
}

/**
 * Prepares a group's batches. Only ip batches change the links later batches are prepared
 * against, and they are prepared synchronously, in order; what the other batches read from the
 * host for their inverses (files, sysctls, their own processes) is read side by side.
 */
function prepareGroup(group: readonly Batch[], steps: readonly Step[], links: LinkMap, bridgeMacs: Map<string, string>, context: ApplyContext): Promise<{ batch: Batch; ready: PreparedBatch }[]> {
  let state = links;
  return Promise.all(group.map(async (batch) => {
    try {
      if (batch.kind === 'ip') {
        const ready = prepareIpBatch(batch, steps, state, bridgeMacs, context);
        state = ready.links;
        return { batch, ready };
      }
      return { batch, ready: await prepareSingle(batch.index, steps, state, context) };
    } catch (e) {
      throw new PreparationFailure(batch.kind === 'ip' ? batch.indices[0]! : batch.index, e);
    }
  }));
}

/** reading a step's inverse failed: that step, not its group's first, is the one named as failed */
class PreparationFailure extends Error {
  constructor(readonly index: number, override readonly cause: unknown) {
    super(errorMessage(cause));
  }
}

function prepareSingle(index: number, steps: readonly Step[], links: LinkMap, context: ApplyContext): Promise<PreparedBatch> {
  const step = steps[index]!;
  if (step.op === 'sysctl.set') return prepareSysctl(index, step, links, context);
  if (isHostStep(step)) return prepareHostStep(index, step, links, context);
  return Promise.reject(new Error(`a ${step.op} step cannot run on its own`));
}

/** a tool that could not even be started: whatever the batch holds may have run */
async function runBatch(ready: PreparedBatch, progress: Progress): Promise<BatchResult> {
  try {
    return await ready.run(progress);
  } catch (e) {
    const index = ready.entries[0]!.index;
    progress(index, 'failed', errorMessage(e));
    return { done: [], failure: { index, reason: errorMessage(e), partial: ready.entries } };
  }
}

/**
 * Runs one stage (stages.ts): its lanes side by side, each lane's batches in order, a lane stopping
 * at its own failure. The lanes are independent, so one failing does not stop the others: the
 * stage ends the same whatever the timing, and the rollback then undoes what it completed.
 * Completed entries come back in plan order, so a rollback undoes them newest first as if they
 * had run one by one.
 */
async function runStage(lanes: PreparedBatch[][], progress: Progress): Promise<BatchResult & { linksChanged: boolean }> {
  let linksChanged = false;
  const results = await Promise.all(lanes.map(async (lane) => {
    const done: JournalEntry[] = [];
    for (const ready of lane) {
      const result = await runBatch(ready, progress);
      done.push(...result.done);
      if (!ready.leavesLinksAlone) linksChanged = true;
      if (result.failure) return { done, failure: result.failure };
    }
    return { done };
  }));
  const byIndex = (a: JournalEntry, b: JournalEntry) => a.index - b.index;
  const done = results.flatMap((r) => r.done).sort(byIndex);
  const failures = results.flatMap((r) => (r.failure ? [r.failure] : [])).sort((a, b) => a.index - b.index);
  if (failures.length === 0) return { done, linksChanged };
  // the first failure in plan order is the one reported; every failed lane's partial steps are undone
  const failure = { ...failures[0]!, partial: failures.flatMap((f) => f.partial).sort(byIndex) };
  return { done, failure, linksChanged };
}

const doneAll = (entries: JournalEntry[], progress: Progress, note?: string): BatchResult => {
  for (const e of entries) progress(e.index, 'done', note);
  return { done: entries };
};

/**
 * A batch that only brings up bridges this apply created (a direct network's bridge, once IPv6 is
 * off on it) is done through sysfs: the same kernel call as `ip link set up`, without a process.
 * Where sysfs does not show that very bridge, the batch runs through ip as any other.
 */
function upThroughSysfs(batch: Extract<Batch, { kind: 'ip' }>, steps: readonly Step[], bridgeMacs: ReadonlyMap<string, string>): { name: string; mac: string }[] | undefined {
  const ups = batch.indices.map((i) => steps[i]!).map((step) => (step.op === 'link.setState' && step.up ? { name: step.name, mac: bridgeMacs.get(step.name) } : undefined));
  return ups.every((u) => u?.mac !== undefined) ? (ups as { name: string; mac: string }[]) : undefined;
}

function prepareIpBatch(batch: Extract<Batch, { kind: 'ip' }>, steps: readonly Step[], links: LinkMap, bridgeMacs: Map<string, string>, context: ApplyContext): PreparedBatch {
  const entries: JournalEntry[] = [];
  const lines: string[] = [];
  /** for each batch line, the position in `entries` of the step that wrote it */
  const owners: number[] = [];
  const sysfs = upThroughSysfs(batch, steps, bridgeMacs);
  let state = links;
  for (const index of batch.indices) {
    const step = steps[index]!;
    if (step.op === 'sysctl.set' || isHostStep(step)) throw new Error(`a ${step.op} step cannot run in an ip batch`);
    const op = ipOpFor(step);
    entries.push({ index, op: step.op, undo: op.inverse(step, state) });
    state = op.simulate(step, state);
    let mac: string | undefined;
    for (const line of op.lines(step, { bridgeMac: () => (mac = context.bridgeMac()) })) {
      lines.push(line);
      owners.push(entries.length - 1);
    }
    if (step.op === 'link.add' && step.kind === 'bridge' && mac !== undefined) bridgeMacs.set(step.name, mac);
  }
  return {
    entries,
    links: state,
    leavesLinksAlone: false,
    async run(progress) {
      for (const e of entries) progress(e.index, 'running');
      if (sysfs) {
        const up = await Promise.all(sysfs.map((b) => context.io.setUpThroughSysfs(b.name, b.mac)));
        if (up.every(Boolean)) return doneAll(entries, progress);
      }
      const outcome = await context.io.runIpBatch(lines);
      if (outcome.ok) return doneAll(entries, progress);
      // without a line number ip died before or while reading: every step of the batch may have run
      const failedAt = outcome.failedLine === undefined ? 0 : (owners[outcome.failedLine - 1] ?? 0);
      const completed = outcome.failedLine === undefined ? [] : entries.slice(0, failedAt);
      for (const e of completed) progress(e.index, 'done');
      const failed = entries[failedAt]!;
      progress(failed.index, 'failed', outcome.message);
      return { done: completed, failure: { index: failed.index, reason: outcome.message, partial: outcome.failedLine === undefined ? entries : [failed] } };
    },
  };
}

async function prepareSysctl(index: number, step: Extract<Step, { op: 'sysctl.set' }>, links: LinkMap, context: ApplyContext): Promise<PreparedBatch> {
  const target = sysctlTarget(step.key);
  if (!target) throw new Error(`${step.key} is not on the allowlist`);
  const ipv6Present = target.family !== 'ipv6' || (await context.io.readSysctl(IPV6_PRESENCE_PATH)) !== undefined;
  const satisfied = sysctlSet.satisfiedWithoutWrite(step, ipv6Present);
  if (satisfied !== undefined) {
    const entry: JournalEntry = { index, op: step.op, undo: [] };
    return {
      entries: [entry],
      links,
      leavesLinksAlone: true,
      run(progress) {
        progress(index, 'running');
        return Promise.resolve(doneAll([entry], progress, satisfied));
      },
    };
  }
  const family = propagatingForwardingFamily(target);
  const [previous, forwarding] = await Promise.all([context.io.readSysctl(target.path), family ? context.io.readForwarding(family) : {}]);
  const entry: JournalEntry = { index, op: step.op, undo: sysctlSet.inverse(step, { previous, forwarding }, links) };
  return {
    entries: [entry],
    links,
    leavesLinksAlone: false,
    async run(progress) {
      progress(index, 'running');
      try {
        await context.io.writeSysctl(target.path, step.value);
      } catch (e) {
        const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${step.key} does not exist on this host` : errorMessage(e);
        progress(index, 'failed', reason);
        return { done: [], failure: { index, reason, partial: [entry] } };
      }
      return doneAll([entry], progress);
    },
  };
}

/** a host step: its inverse read from the host before its group runs; a step that cannot record its inverse never runs */
async function prepareHostStep(index: number, step: HostStep, links: LinkMap, context: ApplyContext): Promise<PreparedBatch> {
  const op = hostOpFor(step);
  const entry: JournalEntry = { index, op: step.op, undo: await op.inverse(step, context.io) };
  return {
    entries: [entry],
    links,
    leavesLinksAlone: leavesLinksAlone(step),
    async run(progress) {
      progress(index, 'running');
      let note: string | undefined;
      try {
        note = await op.run(step, context.io);
      } catch (e) {
        const reason = errorMessage(e);
        progress(index, 'failed', reason);
        return { done: [], failure: { index, reason, partial: [entry] } };
      }
      return doneAll([entry], progress, note);
    },
  };
}
