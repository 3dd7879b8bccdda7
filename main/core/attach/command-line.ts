import { shellCommand } from '../shell-quote';

/** A command line twice: as argv for a program, and as text for a person to paste. */
export interface CommandLine {
  readonly argv: readonly string[];
  readonly shell: string;
}

export const commandLine = (argv: readonly string[]): CommandLine => ({ argv, shell: shellCommand(...argv) });
