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

// the confirmation timer a root CLI starts for a bridge change it applied in-process (see pending-timer-launch.ts)
if (process.argv[2] === PENDING_TIMER_FLAG) {
  void runPendingTimer(process.argv[3] ?? '', (plan) => applyValidInProcess(plan, () => undefined, (line) => process.stderr.write(`${line}\n`)))
    .then((line) => process.stderr.write(`kvmnet: ${line}\n`));
} else {
  void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted }).then((code) => {
    process.exitCode = code;
  });
}
