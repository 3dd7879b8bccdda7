import type { FieldIssue } from '../core/network/field-issue';
import type { CliIo } from './cli-io';
import { CliExit } from './cli-exit';
import { ExitCode } from './exit-codes';

/**
 * Exit 2 with problems whose messages already name their option (the forward and reservation
 * models speak in flags: "--host-port 8080 (tcp) is …"): printed as they are, nothing changed.
 */
export function refuseIssues(io: CliIo, issues: readonly FieldIssue[], json = false): never {
  for (const issue of issues) io.stderr.write(`kvmnet: ${issue.message}\n`);
  io.stderr.write('kvmnet: nothing was changed\n');
  if (json) io.stdout.write(`${JSON.stringify({ ok: false, exitCode: ExitCode.BadInput, error: { code: 'BAD_INPUT', issues } }, null, 2)}\n`);
  throw new CliExit(ExitCode.BadInput);
}
