import { execa } from 'execa';
import { HOST_COMMAND_ENV } from '../host-command';

export type ToolResult =
  | { readonly ok: true; readonly stdout: string }
  | { readonly ok: false; readonly exitCode: number | undefined; readonly missing: boolean; readonly timedOut: boolean; readonly stderr: string };

/**
 * Runs a read-only tool and never throws: the doctor turns every failure (not installed, not
 * allowed, daemon down, hung) into a fact. Same fixed PATH and C locale as the observer.
 */
export async function runTool(file: string, args: readonly string[], timeoutMs: number): Promise<ToolResult> {
  const r = await execa(file, args, { env: HOST_COMMAND_ENV, extendEnv: false, stdin: 'ignore', timeout: timeoutMs, reject: false });
  if (!r.failed) return { ok: true, stdout: String(r.stdout) };
  const code = (r as { code?: string }).code;
  return { ok: false, exitCode: r.exitCode, missing: code === 'ENOENT', timedOut: r.timedOut, stderr: String(r.stderr ?? '').trim() };
}

/** the last line of a failure's stderr, for a reason shown to the user */
export const failureText = (r: Extract<ToolResult, { ok: false }>, tool: string): string =>
  r.missing ? `${tool} is not installed` : r.timedOut ? `${tool} did not answer in time` : (r.stderr.split('\n').at(-1) || `${tool} exited with status ${r.exitCode}`);
