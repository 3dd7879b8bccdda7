import type { ExitCode } from './exit-codes';

/** Ends a command with this exit status; whatever the user should read has been printed already. */
export class CliExit extends Error {
  constructor(readonly code: ExitCode) {
    super(`exit status ${code}`);
    this.name = 'CliExit';
  }
}
