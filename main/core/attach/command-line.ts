import { shellCommand } from '../shell-quote';

/** A command line twice: as argv for a program, and as text for a person to paste. */
export interface CommandLine {
  readonly argv: readonly string[];
  readonly shell: string;
}

export const commandLine = (argv: readonly string[]): CommandLine => ({ argv, shell: shellCommand(...argv) });

/** "-opt value" pairs one per line, continued with "\", as people paste them into longer command lines */
export function optionLines(argv: readonly string[]): string {
  const lines: string[] = [];
  for (let i = 0; i < argv.length; i += 2) lines.push(shellCommand(...argv.slice(i, i + 2)));
  return lines.join(' \\\n');
}
