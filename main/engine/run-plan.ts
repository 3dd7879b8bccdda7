import { realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PrivilegeState } from '../core/privilege-state';
import { applyInProcess, recoverInProcess } from '../helper/in-process';
import type { HelperError, Plan, ProgressEvent } from '../helper/protocol';
import { elevationPicker } from '../privilege/elevation-picker';
import type { HelperClient } from '../privilege/helper-client';
import { HelperGoneError, HelperRequestError } from '../privilege/helper-errors';
import type { HelperLocation } from '../privilege/helper-location';
import { PrivilegeSession } from '../privilege/privilege-session';

export type StepProgress = Omit<ProgressEvent, 'id' | 'event'>;

export type RunOutcome =
  | { status: 'done'; applied: number }
  /** the engine answered: it refused the plan (nothing ran) or failed and rolled back (see error.failure) */
  | { status: 'failed'; error: HelperError }
  /** root could not be had (dialog dismissed, no means); nothing ran */
  | { status: 'no-root'; message: string }
  /** the helper stopped half-way; its journal is rolled back when a helper next starts */
  | { status: 'lost'; message: string };

/** The helper bundle shipped next to the CLI bundle (out/node/ in development, the package's lib directory installed). */
export function helperNextToCli(cliScript: string = process.argv[1] ?? ''): HelperLocation {
  return { runtime: process.execPath, script: join(dirname(realpathSync(cliScript)), 'kvmnet-helper.cjs') };
}

/**
 * Runs one plan with root: in this process when we are root already, else through the helper
 * started once for it (pkexec or sudo-prompt, one password prompt), which exits when we are done.
 * `log` gets what the in-process engine says about journals it recovered; a helper's own log
 * stays on its stderr, as it does for the app.
 */
export async function runPlan(plan: Plan, onProgress: (event: StepProgress) => void, log: (line: string) => void): Promise<RunOutcome> {
  if (process.getuid?.() === 0) {
    const outcome = await applyInProcess(plan, onProgress, log);
    return outcome.ok ? { status: 'done', applied: outcome.result.applied } : { status: 'failed', error: outcome.error };
  }
  const session = new PrivilegeSession(elevationPicker(helperNextToCli()));
  try {
    return await runThroughSession(session, plan, onProgress);
  } finally {
    await session.dispose();
  }
}

export interface SessionPrivilege {
  elevate(): Promise<PrivilegeState>;
  helper(): Pick<HelperClient, 'apply'>;
}

/** One plan through a privilege session: one password prompt, then its long-lived helper. */
export async function runThroughSession(privilege: SessionPrivilege, plan: Plan, onProgress: (event: StepProgress) => void): Promise<RunOutcome> {
  const state = await privilege.elevate();
  if (state.status !== 'elevated') {
    return { status: 'no-root', message: state.status === 'refused' ? state.message : 'administrator rights were not granted' };
  }
  return applyThroughHelper(privilege.helper(), plan, onProgress);
}

/** One plan through a running helper (the CLI's for one command, the app's for its session), as an outcome. */
export async function applyThroughHelper(helper: Pick<HelperClient, 'apply'>, plan: Plan, onProgress: (event: StepProgress) => void): Promise<RunOutcome> {
  try {
    const result = await helper.apply(plan, onProgress);
    return { status: 'done', applied: result.applied };
  } catch (e) {
    if (e instanceof HelperRequestError) return { status: 'failed', error: e.helperError };
    if (e instanceof HelperGoneError) return { status: 'lost', message: e.message };
    return { status: 'lost', message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Root already: the in-process engine's recovery (interrupted applies rolled back, unconfirmed
 * changes past their deadline too), so that the plan that follows is made from the host as it was.
 * Otherwise the helper does it when it starts, and the journals are root's to read anyway.
 */
export async function recoverBeforePlanning(log: (line: string) => void): Promise<void> {
  if (process.getuid?.() === 0) await recoverInProcess(log);
}
