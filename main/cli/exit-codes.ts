/**
 * What every `kvmnet` command's exit status means; scripts rely on these, so they never change.
 * A command that changes the host either finishes (0), undoes all of it (1), or says what is left (3).
 */
export const ExitCode = {
  /** done */
  Done: 0,
  /** failed, and everything it had changed was rolled back (read-only commands: failed, nothing changed) */
  Failed: 1,
  /** bad input (unknown command or option, invalid value): nothing was changed; the message names the field */
  BadInput: 2,
  /** failed and the rollback did not finish: the message lists what is left on the host */
  RollbackIncomplete: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `Exit status:
  0  done
  1  failed; every change was rolled back
  2  bad input (the message names the field); nothing was changed
  3  failed and the rollback is incomplete; the message lists what is left`;
