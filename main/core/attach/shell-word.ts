/** Characters no POSIX shell treats specially, so a word made only of them needs no quotes. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One word for a POSIX shell: bare when nothing in it is special, else single-quoted. For command
 * lines KVMNet shows the user to copy; KVMNet itself runs argument arrays.
 */
export const shellWord = (word: string): string => (SAFE_WORD.test(word) ? word : singleQuoted(word));

/** quoted even when it need not be, for values baked into scripts: no later edit can unquote them */
export const singleQuoted = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/** A command line twice: as argv for a program, and as text for a person to paste. */
export interface CommandLine {
  readonly argv: readonly string[];
  readonly shell: string;
}

export const commandLine = (argv: readonly string[]): CommandLine => ({ argv, shell: argv.map(shellWord).join(' ') });
