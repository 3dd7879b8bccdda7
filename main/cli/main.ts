import { createInterface, type Interface } from 'node:readline';
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

let terminal: Interface | undefined;
let inputEnded = false;

/** y or yes (any case) is a yes; anything else, or the end of input, is a no */
function confirm(question: string): Promise<boolean> {
  if (inputEnded) return Promise.resolve(false);
  terminal ??= createInterface({ input: process.stdin, output: process.stderr }).once('close', () => {
    inputEnded = true;
  });
  const asking = terminal;
  return new Promise((resolve) => {
    const closed = () => resolve(false);
    asking.once('close', closed);
    asking.question(`${question} [y/N] `, (answer) => {
      asking.off('close', closed);
      resolve(/^(y|yes)$/i.test(answer.trim()));
    });
  });
}

const io = { stdout: process.stdout, stderr: process.stderr, interrupted, ...(process.stdin.isTTY ? { confirm } : {}) };

void runCli(process.argv.slice(2), io).then((code) => {
  terminal?.close();
  process.exitCode = code;
});
