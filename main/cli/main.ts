import { createInterface } from 'node:readline/promises';
import { ExitCode } from './exit-codes';
import { runCli } from './run-cli';

const interrupted = (): Promise<void> =>
  new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

// `kvmnet status | head` closes the pipe early; that is the reader's choice, not a failure
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(ExitCode.Done);
  throw e;
});

/** y or yes (any case) is a yes; anything else, or the end of input, is a no */
async function confirm(question: string): Promise<boolean> {
  const terminal = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(y|yes)$/i.test((await terminal.question(`${question} [y/N] `)).trim());
  } finally {
    terminal.close();
  }
}

const io = { stdout: process.stdout, stderr: process.stderr, interrupted, ...(process.stdin.isTTY ? { confirm } : {}) };

void runCli(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
