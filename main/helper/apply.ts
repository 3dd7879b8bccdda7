import { ApplyLockTimeout, withApplyLock } from './apply-lock';
import type { HostIo } from './host-io';
import type { Journal, JournalEntry, ProcessIdentity } from './journal';
import type { JournalStore } from './journal-store';
import type { LinkMap } from './link-facts';
import { planBatches, type Batch } from './batches';
import { hostOpFor, ipOpFor } from './ops/registry';
import { isHostStep, type LineContext } from './ops/op';
import { sysctlSet } from './ops/sysctl-set';
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
 * Runs a plan: validate it whole, then batch by batch journal the inverses and run. On a failure
 * every completed step is undone, newest first, and the answer says what failed and what (if
 * anything) could not be restored. The journal disappears only when the host is consistent again.
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

async function applyUnlocked(plan: Plan, context: ApplyContext): Promise<ApplyOutcome> {
  const { io, store } = context;
  const needsSysctls = (indices: readonly number[]) => indices.some((i) => plan.steps[i]?.op === 'link.delete');
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
  let links: LinkMap = state.links;

  const journal: Journal = {
    format: 1, applyId: context.applyId, requestId: context.requestId, writer: context.writer,
    startedAt: context.now(), plan, done: [], running: [],
  };
  const progress = (index: number, status: ProgressEvent['status'], message?: string) =>
    context.emit({ index, op: plan.steps[index]!.op, status, ...(message === undefined ? {} : { message }) });

  let failure: BatchFailure | undefined;
  let first = true;
  for (const batch of planBatches(plan.steps)) {
    const indices = batch.kind === 'ip' ? batch.indices : [batch.index];
    const step = plan.steps[indices[0]!]!;
    try {
      if (isHostStep(step)) {
        failure = await runHostStep(indices[0]!, step, journal, context, progress);
      } else {
        // the links are read again only for the steps that judge them
        if (!first) links = await io.readLinks({ sysctls: needsSysctls(indices) });
        failure = batch.kind === 'single' ? await runSysctl(batch.index, plan.steps, links, journal, context, progress)
          : await runIpBatch(batch, plan.steps, links, journal, context, progress);
      }
      first = false;
    } catch (e) {
      // the host could not be read, the journal not written or ip not started: whatever is marked running may have run
      failure = { index: journal.running[0]?.index ?? indices[0]!, reason: errorMessage(e), partial: journal.running };
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

async function runIpBatch(batch: Extract<Batch, { kind: 'ip' }>, steps: readonly Step[], links: LinkMap, journal: Journal, context: ApplyContext, progress: Progress): Promise<BatchFailure | undefined> {
  const entries: JournalEntry[] = [];
  const lines: string[] = [];
  /** for each batch line, the position in `entries` of the step that wrote it */
  const owners: number[] = [];
  let state = links;
  for (const index of batch.indices) {
    const step = steps[index]!;
    if (step.op === 'sysctl.set' || isHostStep(step)) throw new Error(`a ${step.op} step cannot run in an ip batch`);
    const op = ipOpFor(step);
    entries.push({ index, op: step.op, undo: op.inverse(step, state) });
    state = op.simulate(step, state);
    for (const line of op.lines(step, context)) {
      lines.push(line);
      owners.push(entries.length - 1);
    }
  }
  // marked running only once on disk: a batch whose journal could not be written never runs
  await context.store.write({ ...journal, running: entries });
  journal.running = entries;
  for (const e of entries) progress(e.index, 'running');

  const outcome = await context.io.runIpBatch(lines);
  if (outcome.ok) {
    journal.done.push(...entries);
    journal.running = [];
    for (const e of entries) progress(e.index, 'done');
    return undefined;
  }
  // without a line number ip died before or while reading: every step of the batch may have run
  const failedAt = outcome.failedLine === undefined ? 0 : (owners[outcome.failedLine - 1] ?? 0);
  const completed = outcome.failedLine === undefined ? [] : entries.slice(0, failedAt);
  journal.done.push(...completed);
  for (const e of completed) progress(e.index, 'done');
  const failed = entries[failedAt]!;
  progress(failed.index, 'failed', outcome.message);
  return { index: failed.index, reason: outcome.message, partial: outcome.failedLine === undefined ? entries : [failed] };
}

async function runSysctl(index: number, steps: readonly Step[], links: LinkMap, journal: Journal, context: ApplyContext, progress: Progress): Promise<BatchFailure | undefined> {
  const step = steps[index]!;
  if (step.op !== 'sysctl.set') throw new Error('not a sysctl step');
  const target = sysctlTarget(step.key);
  if (!target) throw new Error(`${step.key} is not on the allowlist`);
  const family = propagatingForwardingFamily(target);
  const reading = { previous: await context.io.readSysctl(target.path), forwarding: family ? await context.io.readForwarding(family) : {} };
  const entry: JournalEntry = { index, op: step.op, undo: sysctlSet.inverse(step, reading, links) };
  await context.store.write({ ...journal, running: [entry] });
  journal.running = [entry];
  progress(index, 'running');
  try {
    await context.io.writeSysctl(target.path, step.value);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? `${step.key} does not exist on this host` : errorMessage(e);
    progress(index, 'failed', reason);
    return { index, reason, partial: [entry] };
  }
  journal.done.push(entry);
  journal.running = [];
  progress(index, 'done');
  return undefined;
}

/** a host step: its inverse read from the host, journaled, then the step; a step that cannot record its inverse never runs */
async function runHostStep(index: number, step: Step, journal: Journal, context: ApplyContext, progress: Progress): Promise<BatchFailure | undefined> {
  if (!isHostStep(step)) throw new Error(`${step.op} is not a host step`);
  const op = hostOpFor(step);
  const entry: JournalEntry = { index, op: step.op, undo: await op.inverse(step, context.io) };
  await context.store.write({ ...journal, running: [entry] });
  journal.running = [entry];
  progress(index, 'running');
  let note: string | undefined;
  try {
    note = await op.run(step, context.io);
  } catch (e) {
    const reason = errorMessage(e);
    progress(index, 'failed', reason);
    return { index, reason, partial: [entry] };
  }
  journal.done.push(entry);
  journal.running = [];
  progress(index, 'done', note);
  return undefined;
}
