/**
 * Quoting for command lines KVMNet SHOWS people (dry runs, fixes, attach snippets) to copy into a
 * POSIX shell. KVMNet itself never runs a shell string: it runs argument arrays.
 */

/** characters no POSIX shell treats specially, so a word made only of them needs no quotes */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** quoted even when it need not be, for values baked into scripts: no later edit can unquote them */
export const singleQuoted = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/** one word: bare when nothing in it is special, else single-quoted */
export const shellQuote = (word: string): string => (SAFE_WORD.test(word) ? word : singleQuoted(word));

/** argv as one line of shell text */
export const shellCommand = (...words: readonly string[]): string => words.map(shellQuote).join(' ');
