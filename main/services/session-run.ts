import type { PrivilegeState } from '../core/privilege-state';
import { applyThroughHelper, type RunOutcome, type StepProgress } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type { HelperClient } from '../privilege/helper-client';

export interface SessionPrivilege {
  elevate(): Promise<PrivilegeState>;
  helper(): Pick<HelperClient, 'apply'>;
}

/** One plan through the window's privilege session: one password prompt, then the long-lived helper. */
export async function runThroughSession(privilege: SessionPrivilege, plan: Plan, onProgress: (event: StepProgress) => void): Promise<RunOutcome> {
  const state = await privilege.elevate();
  if (state.status !== 'elevated') {
    return { status: 'no-root', message: state.status === 'refused' ? state.message : 'administrator rights were not granted' };
  }
  return applyThroughHelper(privilege.helper(), plan, onProgress);
}
