import type { FieldIssue } from '../core/network/field-issue';
import type { CliIo } from './cli-io';
import { CliExit } from './cli-exit';
import { ExitCode } from './exit-codes';
import { cliIssueMessage, optionOf } from './option-fields';

/** Prints every problem with the command line, each naming its option and the fix, and exits 2: nothing was changed. */
export function refuseInput(io: CliIo, issues: readonly FieldIssue[], json = false): never {
  const messages = issues.map((issue) => ({ field: issue.field, option: optionOf(issue.field).option, message: cliIssueMessage(issue) }));
  for (const m of messages) io.stderr.write(`kvmnet: ${m.message}\n`);
  io.stderr.write('kvmnet: nothing was changed\n');
  if (json) io.stdout.write(`${JSON.stringify({ ok: false, exitCode: ExitCode.BadInput, error: { code: 'BAD_INPUT', issues: messages } }, null, 2)}\n`);
  throw new CliExit(ExitCode.BadInput);
}
