import { randomUUID } from 'node:crypto';
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
