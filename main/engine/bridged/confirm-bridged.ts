import { confirmPlan, rollbackPlan } from '../../core/bridge-to-lan/pending-plans';
import type { PendingChange } from '../../core/bridge-to-lan/bridged-steps';
import type { RunOutcome } from '../run-plan';
import type { BridgedEngine, BridgedHooks } from './bridged-engine';
import { readPending, readPendingOutcome } from './bridged-state';

export type ResolveOutcome =
  | { status: 'nothing-pending'; lastOutcome?: 'confirmed' | 'rolled-back' }
  | { status: 'done'; pending: PendingChange }
  /** its deadline had passed: it was rolled back instead (rollback says how that went) */
  | { status: 'expired'; pending: PendingChange; rollback: RunOutcome }
  | { status: 'failed'; pending: PendingChange; outcome: Exclude<RunOutcome, { status: 'done' }> };

async function resolve(network: string, engine: BridgedEngine, hooks: BridgedHooks, planOf: (p: PendingChange) => ReturnType<typeof confirmPlan>): Promise<ResolveOutcome> {
  const pending = await readPending(network);
  if (!pending) {
    const last = await readPendingOutcome(network);
    return { status: 'nothing-pending', ...(last ? { lastOutcome: last.outcome } : {}) };
  }
  if (Date.parse(pending.deadline) <= engine.now()) {
    const plan = rollbackPlan(pending, 'not confirmed in time');
    hooks.onPlan?.(plan);
    return { status: 'expired', pending, rollback: await engine.run(plan, hooks.onProgress, hooks.log) };
  }
  const plan = planOf(pending);
  hooks.onPlan?.(plan);
  const outcome = await engine.run(plan, hooks.onProgress, hooks.log);
  return outcome.status === 'done' ? { status: 'done', pending } : { status: 'failed', pending, outcome };
}

/** Keeps a change that waits for confirmation (from any process: the state is in /run/kvmnet); one past its deadline is rolled back instead. */
export const confirmBridged = (network: string, engine: BridgedEngine, hooks: BridgedHooks): Promise<ResolveOutcome> =>
  resolve(network, engine, hooks, confirmPlan);

/** Rolls it back now (the app's "Undo now" during the countdown). */
export const rollBackBridged = (network: string, engine: BridgedEngine, hooks: BridgedHooks): Promise<ResolveOutcome> =>
  resolve(network, engine, hooks, (p) => rollbackPlan(p, 'undone by the user'));

/**
 * Waits until the change armed as `armId` ends, by a confirmation from anywhere or by its rollback;
 * 'unknown' when nothing says so by `until` (a rollback that could not finish: see the helper's log).
 */
export async function waitForOutcome(network: string, armId: string, until: number, now: () => number = Date.now): Promise<'confirmed' | 'rolled-back' | 'unknown'> {
  for (;;) {
    const outcome = await readPendingOutcome(network);
    if (outcome?.armId === armId) return outcome.outcome;
    if (now() > until) return 'unknown';
    await new Promise((r) => setTimeout(r, 250));
  }
}
