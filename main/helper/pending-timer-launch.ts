import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';

/** the argument that turns the helper (or the CLI running it in-process) into a pending change's timer */
export const PENDING_TIMER_FLAG = '--kvmnet-pending-timer';

/**
 * Starts the process that rolls a pending change back at its deadline: this very program (the
 * helper bundle, or the CLI bundle when it runs the helper in-process) again, detached into its
 * own session, so that it outlives the helper, the app and the terminal. It reads everything from
 * the pending file, so it needs no argument but the network's name.
 */
export function startPendingTimer(network: string): void {
  const script = process.argv[1];
  if (!script) throw new Error('cannot start the confirmation timer: this program does not know its own script');
  const child = spawn(process.execPath, [realpathSync(script), PENDING_TIMER_FLAG, network], { detached: true, stdio: 'ignore' });
  // a failed spawn is reported as an event; unhandled it would crash the helper partway through an apply
  child.once('error', () => undefined);
  child.unref();
}
