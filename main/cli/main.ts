import { createInterface, type Interface } from 'node:readline';
import { ExitCode } from './exit-codes';
import { runCli } from './run-cli';
import { applyValidInProcess } from '../helper/in-process';
import { PENDING_TIMER_FLAG } from '../helper/pending-timer-launch';
import { runPendingTimer } from '../helper/pending-timer';

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

// the confirmation timer a root CLI starts for a bridge change it applied in-process (see pending-timer-launch.ts)
if (process.argv[2] === PENDING_TIMER_FLAG) {
  void runPendingTimer(process.argv[3] ?? '', (plan) => applyValidInProcess(plan, () => undefined, (line) => process.stderr.write(`${line}\n`)))
    .then((line) => process.stderr.write(`kvmnet: ${line}\n`));
} else {
  const io = { stdout: process.stdout, stderr: process.stderr, interrupted, ...(process.stdin.isTTY ? { confirm } : {}) };
  void runCli(process.argv.slice(2), io).then((code) => {
    terminal?.close();
    process.exitCode = code;
  });
}
