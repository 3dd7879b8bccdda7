import { spawn } from 'node:child_process';

export interface ToolResult {
  exitCode: number;
  stdout: string;
  /** what the tool said, or that it timed out */
  stderr: string;
}

/** a tool's process, started and waiting for its standard input */
export interface StartedTool {
  /** writes `input` and closes standard input, then resolves once the tool has exited; never rejects */
  feed(input?: string): Promise<ToolResult>;
}

export interface ToolLimits {
  env: Record<string, string>;
  /** counted from feed(): a tool started ahead may wait for its input longer than this */
  timeoutMs: number;
  maxBuffer: number;
}

/**
 * Starts `file` with an argument array (never a shell). Node's spawn is synchronous up to the
 * child's exec, so on a busy machine a start costs a few ms of the caller's own time: a tool that
 * takes all its work from standard input (`ip -batch -`, `nft -f -`) can be started ahead of its
 * step, and until it is fed it only waits.
 */
export function startTool(file: string, name: string, args: readonly string[], limits: ToolLimits): StartedTool {
  const child = spawn(file, args, { env: limits.env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let problem: string | undefined;
  const kill = (why: string) => {
    problem ??= why;
    child.kill('SIGKILL');
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.length > limits.maxBuffer) kill(`${name} wrote more than ${limits.maxBuffer} bytes`);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // a tool that exits without reading its input must not crash the helper with EPIPE
  child.stdin.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const exited = new Promise<ToolResult>((resolve) => {
    // a tool that could not be started emits 'error' and may never emit 'close'
    child.on('error', (e) => {
      problem ??= e.message;
      if (child.pid === undefined) resolve({ exitCode: -1, stdout, stderr: problem });
    });
    child.on('close', (code) => {
      closed = true;
      clearTimeout(timer);
      resolve({ exitCode: code ?? -1, stdout, stderr: stderr || (problem ?? '') });
    });
  });
  return {
    feed(input) {
      // a tool that has already exited has nothing left to time out
      if (!closed) timer = setTimeout(() => kill(`${name} timed out`), limits.timeoutMs);
      child.stdin.end(input);
      return exited;
    },
  };
}
