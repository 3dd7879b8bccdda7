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

void runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, interrupted }).then((code) => {
  process.exitCode = code;
});
