import { isAbsolute, normalize } from 'node:path';

/**
 * sudo-prompt takes a command STRING, which it places inside double quotes in a `sh -c` run as
 * the user, whose result is passed to `pkexec /bin/bash -c` run as root. So the string is parsed
 * twice, once by each shell. It is safe because it is built only from fixed text and four
 * absolute paths that the app computed itself (its own executable, its own helper bundle, two
 * FIFOs in a directory it just created), never from user input, and because every path must pass
 * this allowlist: no quote of either kind, no `$`, backtick, backslash or `!` (special inside
 * double quotes), no `=` (env would read it as an assignment), no control characters, no `..`.
 * Each path is then single-quoted for the root shell.
 */
const SAFE_PATH = /^\/[\p{L}\p{N} ._+,@:/-]*$/u;

export class UnsafePathError extends Error {
  constructor(readonly field: string, readonly path: string) {
    super(`${field} "${path}" cannot be passed to the password prompt: use an absolute path made of letters, digits, spaces and . _ + , @ : / -`);
    this.name = 'UnsafePathError';
  }
}

export function quotePath(field: string, path: string): string {
  if (!isAbsolute(path) || normalize(path) !== path || !SAFE_PATH.test(path)) throw new UnsafePathError(field, path);
  return `'${path}'`;
}

export interface SudoPromptPaths {
  /** the Electron binary (or node) that runs the helper bundle */
  runtime: string;
  script: string;
  /** FIFO the helper reads its requests from (its stdin) */
  input: string;
  /** FIFO the helper writes its answers to (its stdout) */
  output: string;
}

/**
 * The helper's stdin and stdout are redirected to FIFOs because sudo-prompt buffers the child's
 * output until it exits; stderr stays with sudo-prompt, which hands it back for error messages.
 * pkexec clears the environment, so ELECTRON_RUN_AS_NODE is set inside the root command.
 */
export function sudoPromptCommand(paths: SudoPromptPaths): string {
  return [
    'exec /usr/bin/env ELECTRON_RUN_AS_NODE=1',
    quotePath('runtime', paths.runtime),
    quotePath('script', paths.script),
    `<${quotePath('input', paths.input)}`,
    `>${quotePath('output', paths.output)}`,
  ].join(' ');
}
