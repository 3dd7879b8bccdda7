import { randomUUID } from 'node:crypto';
import { access } from 'node:fs/promises';
import { JOURNAL_DIR } from '../core/paths';
import { applyPlan, type ApplyOutcome } from './apply';
import { randomBridgeMac } from './bridge-mac';
import { procSysHostIo } from './host-io';
import { JournalStore } from './journal-store';
import { rollBackOverdue } from './pending-timer';
import { selfIdentity } from './process-identity';
import { Plan, type ProgressEvent } from './protocol';
import { recoverJournals } from './recover';

type Emit = (event: Omit<ProgressEvent, 'id' | 'event'>) => void;

/** a validated plan, after the journals a dead helper left behind are rolled back */
export async function applyValidInProcess(plan: Plan, emit: Emit, log: (line: string) => void): Promise<ApplyOutcome> {
  const store = new JournalStore();
  const io = procSysHostIo;
  await recoverJournals(store, io, log);
  const total = plan.steps.length;
  return applyPlan(plan, {
    io,
    store,
    writer: await selfIdentity(),
    requestId: 'in-process',
    applyId: `${Date.now()}-${process.pid}-${randomUUID().slice(0, 8)}`,
    now: () => new Date().toISOString(),
    bridgeMac: randomBridgeMac,
    emit: (event) => emit({ ...event, total }),
  });
}

/**
 * The helper's engine without the helper process, for a client that is already root (`sudo
 * kvmnet`, tests): the same validation, journal and rollback as a request to the helper, with
 * the same recovery first of journals a dead helper left behind and of changes nobody confirmed.
 */
export async function applyInProcess(plan: unknown, emit: Emit, log: (line: string) => void): Promise<ApplyOutcome> {
  const parsed = Plan.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['plan', ...(issue?.path ?? [])].join('.');
    return { ok: false, error: { code: 'INVALID_REQUEST', message: `${field}: ${issue?.message ?? 'invalid plan'}`, field } };
  }
  await rollBackOverdue((p) => applyValidInProcess(p, () => undefined, log), log);
  return applyValidInProcess(parsed.data, emit, log);
}

/**
 * What a helper does before it serves anything, for a root client that applies in-process: the
 * journals a dead apply left behind (kvmnet killed half-way) rolled back, then the changes nobody
 * confirmed in time. Run before a mutating command reads the host, so that a command retried after
 * a kill plans from the host as it was and not from the half-applied change (a record written
 * before the kill would refuse the retry as "exists already"). A host where KVMNet never applied
 * anything is left untouched: no journal directory is created for nothing.
 */
export async function recoverInProcess(log: (line: string) => void): Promise<void> {
  if (await access(JOURNAL_DIR).then(() => true, () => false)) await recoverJournals(new JournalStore(), procSysHostIo, log);
  await rollBackOverdue((p) => applyValidInProcess(p, () => undefined, log), log);
}
