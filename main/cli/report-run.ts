import { describeStep } from '../core/plan/describe-step';
import type { NetworkEngine } from '../engine/engine';
import type { RunOutcome, StepProgress } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type { CliIo } from './cli-io';
import { CliExit } from './cli-exit';
import { ExitCode } from './exit-codes';

const STATUS_WORD: Record<StepProgress['status'], string | undefined> = {
  // a batch of ip steps reports "running" for all of them at once: only outcomes are worth a line
  running: undefined,
  done: 'done',
  failed: 'FAILED',
  undoing: undefined,
  undone: 'undone',
  'undo-failed': 'NOT UNDONE',
};

/** One stderr line per step outcome, as the engine reports it: "  done     2/8 add address …". */
export function progressPrinter(io: CliIo, plan: Plan): (event: StepProgress) => void {
  return (event) => {
    const word = STATUS_WORD[event.status];
    const step = plan.steps[event.index];
    if (!word || !step) return;
    const detail = event.message && event.status !== 'done' ? `: ${event.message.trim()}` : '';
    io.stderr.write(`  ${word.padEnd(10)} ${event.index + 1}/${event.total} ${describeStep(step)}${detail}\n`);
  };
}

export function exitCodeOf(outcome: RunOutcome): ExitCode {
  switch (outcome.status) {
    case 'done':
      return ExitCode.Done;
    case 'no-root':
      return ExitCode.Failed;
    case 'lost':
      return ExitCode.RollbackIncomplete;
    case 'failed':
      if (outcome.error.code === 'ROLLBACK_INCOMPLETE') return ExitCode.RollbackIncomplete;
      // refused before anything ran: the plan asked for something the helper does not allow here
      if (['INVALID_REQUEST', 'NOT_OWNED', 'NOT_ALLOWED'].includes(outcome.error.code)) return ExitCode.BadInput;
      return ExitCode.Failed;
  }
}

/** What went wrong and where the host stands, in the lines a person reads after the progress. */
export function describeFailure(outcome: Exclude<RunOutcome, { status: 'done' }>, plan: Plan): string[] {
  switch (outcome.status) {
    case 'no-root':
      return [`could not get administrator rights: ${outcome.message}`, 'nothing was changed'];
    case 'lost':
      return [
        `the helper stopped before it finished: ${outcome.message}`,
        'the host may be half-changed; the next time the helper starts (any kvmnet command that changes something) it rolls back what was left',
      ];
    case 'failed': {
      const { error } = outcome;
      const failure = error.failure;
      if (!failure) return [`the helper refused the plan (${error.code}): ${error.message}`, 'nothing was changed'];
      const step = plan.steps[failure.failedIndex];
      const where = `step ${failure.failedIndex + 1}/${plan.steps.length} (${step ? describeStep(step) : failure.failedOp})`;
      const lines = [`${where} failed: ${failure.reason.trim()}`];
      if (failure.left.length === 0) lines.push(`rolled back: ${failure.undone} completed step(s) undone; the host is as it was before`);
      else lines.push(`rollback incomplete (${failure.undone} step(s) undone); still on the host:`, ...failure.left.map((l) => `  - ${l}`));
      return lines;
    }
  }
}

export interface RunReport {
  io: CliIo;
  engine: NetworkEngine;
  plan: Plan;
  /** print the result as JSON on stdout (progress stays on stderr) */
  json: boolean;
  /** what to print on success */
  done: { text: string; json: Record<string, unknown> };
}

/** Runs a plan with progress on stderr and ends the command with the exit status its outcome means. */
export async function runReported({ io, engine, plan, json, done }: RunReport): Promise<void> {
  io.stderr.write(`kvmnet: ${plan.description ?? 'applying a plan'} (${plan.steps.length} step(s))\n`);
  const outcome = await engine.run(plan, progressPrinter(io, plan), (line) => io.stderr.write(`kvmnet: ${line}\n`));
  const code = exitCodeOf(outcome);
  if (outcome.status === 'done') {
    io.stdout.write(json ? `${JSON.stringify({ ok: true, ...done.json, applied: outcome.applied }, null, 2)}\n` : `${done.text}\n`);
    return;
  }
  const lines = describeFailure(outcome, plan);
  for (const line of lines) io.stderr.write(`kvmnet: ${line}\n`);
  if (json) {
    const error = outcome.status === 'failed' ? outcome.error : { code: outcome.status === 'no-root' ? 'NO_ROOT' : 'HELPER_LOST', message: outcome.message };
    io.stdout.write(`${JSON.stringify({ ok: false, exitCode: code, error, summary: lines }, null, 2)}\n`);
  }
  throw new CliExit(code);
}
