import { readFile } from 'node:fs/promises';
import type { ResultPromise } from 'execa';
import { HostSnapshot } from '../../../main/core/host-snapshot';
import type { Lab } from '../../lab/lab';

/** `kvmnet status --watch --json` running inside a lab, with every snapshot it printed and when. */
export interface WatchProcess {
  readonly snapshots: { at: number; snapshot: HostSnapshot }[];
  /** the first snapshot, printed after the first `after` ones, that satisfies the predicate */
  waitFor(predicate: (s: HostSnapshot) => boolean, timeoutMs: number, what: string, after?: number): Promise<{ at: number; snapshot: HostSnapshot }>;
  /** Ctrl-C, as a user would, and the exit code */
  interrupt(): Promise<number | undefined>;
}

export function startWatch(lab: Lab, cli: string): WatchProcess {
  const child: ResultPromise = lab.spawn(process.execPath, [cli, 'status', '--watch', '--json'], { stdin: 'ignore', buffer: false, reject: false });
  const snapshots: WatchProcess['snapshots'] = [];
  let stderr = '';
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) snapshots.push({ at: Date.now(), snapshot: HostSnapshot.parse(JSON.parse(line)) });
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return {
    snapshots,
    async waitFor(predicate, timeoutMs, what, after = 0) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = snapshots.slice(after).find((s) => predicate(s.snapshot));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no snapshot with ${what} within ${timeoutMs} ms (${snapshots.length} printed; stderr: ${stderr})`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async interrupt() {
      // the spawned process is nsenter; the CLI is its child, in the lab
      const children = (await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim().split(/\s+/);
      process.kill(Number(children[0]), 'SIGINT');
      return (await child).exitCode;
    },
  };
}
