import type { Readable, Writable } from 'node:stream';
import { execa } from 'execa';

/** How the helper (or the program that launched it: pkexec, sudo-prompt) ended. */
export interface HelperExit {
  code: number | null;
  signal: string | null;
  /** the last part of what the helper or its launcher wrote on stderr, for the user-facing message */
  stderr: string;
  /** the launcher could not start at all, e.g. 'ENOENT' when pkexec is missing */
  spawnError?: string;
  /** sudo-prompt reports its outcome as an error message rather than an exit code */
  message?: string;
}

/** A running helper: we write requests to `input`, read answers from `output`. */
export interface HelperConnection {
  readonly input: Writable;
  readonly output: Readable;
  /** settles once, when the helper is gone; never rejects */
  readonly exited: Promise<HelperExit>;
}

/** A command line as an argument array; the environment is given whole, never inherited by accident. */
export interface HelperCommand {
  file: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
}

const STDERR_TAIL_CHARS = 8 * 1024;

/** Keeps the end of a stream's text, so a crash message is available without buffering a chatty log. */
export function keepTail(stream: Readable | null, onLine?: (line: string) => void): () => string {
  let tail = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_CHARS);
    if (onLine) for (const line of chunk.split('\n')) if (line.trim()) onLine(line);
  });
  return () => tail.trim();
}

/**
 * Starts the helper as a child process that speaks on its own stdin/stdout. The child is not
 * killed when we are done (a root child cannot be): closing `input` is what makes it exit.
 */
export function spawnHelper(command: HelperCommand, onLog?: (line: string) => void): HelperConnection {
  const child = execa(command.file, [...command.args], {
    env: { ...command.env },
    extendEnv: false,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    cleanup: false,
    stripFinalNewline: false,
  });
  const stderr = keepTail(child.stderr, onLog);
  const exited = child.then(
    (result): HelperExit => ({
      code: result.exitCode ?? null,
      signal: result.signal ?? null,
      stderr: stderr(),
      ...(result.failed && result.exitCode === undefined && !result.signal ? { spawnError: spawnErrorCode(result.cause) } : {}),
    }),
  );
  return { input: child.stdin, output: child.stdout, exited };
}

function spawnErrorCode(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : String(cause);
}
