import type { RunOutcome, StepProgress } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type { RunResult } from '../ipc/network-channels';

/** Helper codes for a plan refused before anything ran. */
const REFUSALS = new Set(['INVALID_REQUEST', 'NOT_OWNED', 'NOT_ALLOWED', 'BUSY']);

/**
 * What the app tells the user about a finished run: which step failed and which steps were undone,
 * from the engine's outcome and the progress it reported. The progress names the undone steps;
 * the failure's count is the fallback when those events were missed.
 */
export function runResult(plan: Plan, outcome: RunOutcome, progress: readonly StepProgress[]): RunResult {
  const base = { steps: plan.steps, rolledBack: [] as number[], left: [] as string[] };
  switch (outcome.status) {
    case 'done':
      return { ...base, status: 'done' };
    case 'no-root':
      return { ...base, status: 'no-root', reason: outcome.message };
    case 'lost':
      return { ...base, status: 'lost', reason: outcome.message };
    case 'failed': {
      const { failure, code, message } = outcome.error;
      if (!failure) return { ...base, status: REFUSALS.has(code) ? 'refused' : 'failed', reason: message };
      const seen = progress.filter((p) => p.status === 'undone').map((p) => p.index);
      const counted = Array.from({ length: failure.undone }, (_, i) => failure.failedIndex - 1 - i).filter((i) => i >= 0);
      const rolledBack = [...new Set(seen.length >= failure.undone ? seen : counted)].sort((a, b) => a - b);
      return { ...base, status: 'failed', failedIndex: failure.failedIndex, reason: failure.reason.trim(), rolledBack, left: failure.left };
    }
  }
}
