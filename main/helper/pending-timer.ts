import { readdir, readFile } from 'node:fs/promises';
import { PENDING_DIR, pendingPath } from '../core/paths';
import { PendingChange } from '../core/bridge-to-lan/bridged-steps';
import type { ApplyOutcome } from './apply';
import type { Plan } from './protocol';
import { rollbackPlan } from '../core/bridge-to-lan/pending-plans';

/**
 * A NetworkManager checkpoint rolls itself back at the deadline; the timer comes a little later,
 * to remove KVMNet's record of the bridge once NM has put the profiles back, so the two do not
 * race over the same devices.
 */
export const NM_TIMER_GRACE_MS = 3000;
/** a helper starting this long after a deadline assumes the timer died and rolls back itself */
export const OVERDUE_MS = 10_000;

export type ApplyAsRoot = (plan: Plan) => Promise<ApplyOutcome>;

async function readPending(network: string): Promise<PendingChange | undefined> {
  const text = await readFile(pendingPath(network), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return PendingChange.parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}


const firesAt = (pending: PendingChange): number => Date.parse(pending.deadline) + (pending.persistence === 'networkmanager' ? NM_TIMER_GRACE_MS : 0);

/**
 * The timer process of one pending change: sleeps until its deadline, then rolls it back unless it
 * has been confirmed (or replaced) meanwhile. Resolves with what happened, for its log.
 */
export async function runPendingTimer(network: string, apply: ApplyAsRoot, now: () => number = Date.now): Promise<string> {
  const armed = await readPending(network);
  if (!armed) return `nothing of network ${network} waits for confirmation`;
  for (;;) {
    const wait = firesAt(armed) - now();
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 1000)));
    const current = await readPending(network);
    if (current?.armId !== armed.armId) return `network ${network}: the change was confirmed or rolled back in time`;
  }
  const outcome = await apply(rollbackPlan(armed, 'not confirmed in time'));
  return outcome.ok ? `network ${network}: not confirmed by ${armed.deadline}; rolled back` : `network ${network}: rollback failed: ${outcome.error.message}`;
}

/** Rolls back every pending change whose timer should long have fired (it was killed, or the host slept). */
export async function rollBackOverdue(apply: ApplyAsRoot, log: (line: string) => void, now: () => number = Date.now): Promise<void> {
  const names = await readdir(PENDING_DIR).catch(() => [] as string[]);
  for (const name of names.filter((n) => n.endsWith('.json') && !n.endsWith('.outcome.json'))) {
    const pending = await readPending(name.slice(0, -'.json'.length));
    if (!pending || firesAt(pending) + OVERDUE_MS > now()) continue;
    const outcome = await apply(rollbackPlan(pending, 'not confirmed in time'));
    log(outcome.ok ? `rolled back the unconfirmed change of network ${pending.network} (deadline ${pending.deadline})` : `could not roll back the unconfirmed change of network ${pending.network}: ${outcome.error.message}`);
  }
}
