/**
 * One command line for `ip -batch -`. ip splits batch lines on blanks and gives quotes and '#'
 * meaning, so every token must be a plain word; names and addresses are validated long before,
 * and this is the last guard that nothing else ever reaches root's ip.
 */
const PLAIN_TOKEN = /^[A-Za-z0-9_.:/][A-Za-z0-9_.:/-]*$/;

export function ipLine(...tokens: string[]): string {
  for (const token of tokens) {
    if (!PLAIN_TOKEN.test(token)) throw new Error(`refusing to pass ${JSON.stringify(token)} to ip: not a plain word`);
  }
  return tokens.join(' ');
}

/** How far a batch got: ip stops at the first failing line and names it as "Command failed -:N". */
export type BatchOutcome = { ok: true } | { ok: false; failedLine?: number; message: string };

export function batchOutcome(exitCode: number, stderr: string): BatchOutcome {
  if (exitCode === 0) return { ok: true };
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const marker = lines.map((l) => /^Command failed -:(\d+)$/.exec(l)).find((m) => m !== null);
  const message = lines.filter((l) => !l.startsWith('Command failed')).join('; ') || `ip exited with ${exitCode}`;
  return marker ? { ok: false, failedLine: Number(marker[1]), message } : { ok: false, message };
}
