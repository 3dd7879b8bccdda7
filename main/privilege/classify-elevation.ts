import type { ElevationMethod, PrivilegeState } from '../core/privilege-state';
import type { HelperExit } from './helper-connection';

export type Refusal = Extract<PrivilegeState, { status: 'refused' }>;

/** Why an elevation attempt did not end with a helper that answered its first ping as root. */
export type ElevationFailure =
  /** there is no way to ask for root here; `detail` says what is missing */
  | { kind: 'no-means'; detail: string }
  /** the helper, or the pkexec / sudo-prompt that should have started it, ended before answering */
  | { kind: 'exited'; method: ElevationMethod; exit: HelperExit }
  /** the helper answered, but not with a valid ping answer, or not at all in time */
  | { kind: 'bad-answer'; method: ElevationMethod; detail: string }
  /** the launcher could not even be prepared (e.g. a path the password prompt cannot carry) */
  | { kind: 'launch-failed'; method: ElevationMethod; detail: string };

/** pkexec(1): "If the authorization could not be obtained because the user dismissed the authentication dialog, pkexec exits with a return value of 126." */
export const PKEXEC_DISMISSED = 126;
/** pkexec(1): "If the calling process is not authorized or an authorization could not be obtained through authentication or an error occured, pkexec exits with a return value of 127." */
export const PKEXEC_NOT_AUTHORIZED = 127;

/** sudo-prompt's own messages (it runs pkexec or kdesudo and rewrites their failures). */
export const SUDO_PROMPT_DISMISSED = 'User did not grant permission.';
export const SUDO_PROMPT_NO_AGENT = 'No polkit authentication agent found.';
export const SUDO_PROMPT_NO_BINARY = 'Unable to find pkexec or kdesudo.';

const READ_ONLY = 'KVMNet stays read-only: you can look at everything, and ask again from the status bar.';

function refused(reason: Refusal['reason'], message: string): Refusal {
  return { status: 'refused', reason, message };
}

function crashed(what: string): Refusal {
  return refused('helper-crashed', `The KVMNet helper did not start properly (${what}). ${READ_ONLY}`);
}

function describeExit(exit: HelperExit): string {
  const how = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
  const last = exit.stderr.split('\n').at(-1)?.trim();
  return last ? `${how}: ${last}` : how;
}

function classifyPkexecExit(exit: HelperExit): Refusal {
  if (exit.spawnError === 'ENOENT') return refused('unavailable', `pkexec is not installed, so KVMNet cannot ask for administrator rights. Install polkit (pkexec). ${READ_ONLY}`);
  if (exit.code === PKEXEC_DISMISSED) return refused('dismissed', `The password dialog was closed. ${READ_ONLY}`);
  if (exit.code === PKEXEC_NOT_AUTHORIZED) {
    const noAgent = /no authentication agent/i.test(exit.stderr);
    return refused(
      'not-authorized',
      noAgent
        ? `No polkit authentication agent is running, so no password dialog could be shown. Start your desktop's polkit agent and try again. ${READ_ONLY}`
        : `The system did not authorize KVMNet's helper (wrong password, or your account may not administer this machine). ${READ_ONLY}`,
    );
  }
  return crashed(describeExit(exit));
}

function classifySudoPromptExit(exit: HelperExit): Refusal {
  switch (exit.message) {
    case SUDO_PROMPT_DISMISSED:
      return refused('dismissed', `The password dialog was closed or the password was refused. ${READ_ONLY}`);
    case SUDO_PROMPT_NO_AGENT:
      return refused('not-authorized', `No polkit authentication agent is running, so no password dialog could be shown. Start your desktop's polkit agent and try again. ${READ_ONLY}`);
    case SUDO_PROMPT_NO_BINARY:
      return refused('unavailable', `Neither pkexec nor kdesudo is installed, so KVMNet cannot ask for administrator rights. Install polkit (pkexec). ${READ_ONLY}`);
    default:
      return crashed(exit.message ?? describeExit(exit));
  }
}

/**
 * Turns how an elevation attempt ended into the state the user sees. Pure: the launchers collect
 * exit codes and messages, this decides what they mean.
 */
export function classifyElevationFailure(failure: ElevationFailure): Refusal {
  switch (failure.kind) {
    case 'no-means':
      return refused('unavailable', `${failure.detail} ${READ_ONLY}`);
    case 'bad-answer':
      return crashed(failure.detail);
    case 'launch-failed':
      return refused('unavailable', `KVMNet could not start its helper through ${failure.method}: ${failure.detail}. ${READ_ONLY}`);
    case 'exited':
      if (failure.method === 'pkexec') return classifyPkexecExit(failure.exit);
      if (failure.method === 'sudo-prompt') return classifySudoPromptExit(failure.exit);
      return crashed(failure.exit.spawnError ?? describeExit(failure.exit));
  }
}
