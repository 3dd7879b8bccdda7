import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { runCli } from '../../../main/cli/run-cli';

/** runs the CLI on argv; only commands that fail before touching the host are run here */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    interrupted: () => new Promise(() => {}),
  });
  return { code, stdout, stderr };
}

describe('runCli', () => {
  it('exits 2 on an unknown command, naming it and suggesting the near one', async () => {
    const r = await run('stats');
    expect(r.code).toBe(ExitCode.BadInput);
    expect(r.stderr).toContain("unknown command 'stats'");
    expect(r.stderr).toContain('Did you mean status?');
    expect(r.stderr).toContain('kvmnet --help');
  });

  it('exits 2 on an unknown option, naming it', async () => {
    const r = await run('status', '--jsno');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsno'");
  });

  it('exits 2 on an unexpected argument', async () => {
    const r = await run('status', 'eth0');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too many arguments/);
  });

  it('exits 2 and shows the help when no command is given', async () => {
    const r = await run();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: kvmnet');
  });

  it('exits 0 with help that lists the commands and the exit codes', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status \[options\]/);
    expect(r.stdout).toContain('3  failed and the rollback is incomplete');
    const status = await run('help', 'status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('--watch');
  });
});
