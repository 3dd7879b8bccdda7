import { spawn } from 'node:child_process';
import { access, constants, open } from 'node:fs/promises';

/**
 * One apply (or journal recovery) at a time on this host, whoever runs it: the app's helper, a
 * root `kvmnet` applying in-process, the boot unit. Two of them interleaving would each plan from
 * a host the other is changing, and a starting helper could roll back the journal of an apply
 * that is still running.
 *
 * The lock is an exclusive flock(2) on the journal directory, held from reading the host until
 * the journal is gone:
 * - the kernel drops it when its holder dies, even by kill -9, so a crash never leaves the host
 *   locked and recovery can take it at once;
 * - it is on the directory itself, not a file in it, so it leaves nothing on the host.
 * Node has no flock of its own: flock(1) takes the lock on our open descriptor, passed as its
 * stdin, and exits. A lock belongs to the open file description, which we share with it, so the
 * lock lasts until we close our descriptor. A waiter sleeps in the kernel, never polls.
 */

/** util-linux; an absolute path so that root never runs whatever an inherited PATH finds first */
const FLOCK_CANDIDATES = ['/usr/bin/flock', '/bin/flock'];
/** flock's exit code when the wait ran out (chosen with -E, distinct from its own errors) */
const TIMED_OUT = 75;
/** far beyond any real apply (each tool the helper runs is stopped after 60 s) */
export const APPLY_LOCK_WAIT_SECONDS = 300;

export class ApplyLockTimeout extends Error {}

export interface ApplyLock {
  release(): Promise<void>;
}

let flockPath: Promise<string> | undefined;
function locateFlock(): Promise<string> {
  flockPath ??= (async () => {
    for (const candidate of FLOCK_CANDIDATES) {
      if (await access(candidate, constants.X_OK).then(() => true, () => false)) return candidate;
    }
    throw new Error(`flock was not found in ${FLOCK_CANDIDATES.join(', ')}; install it (package util-linux)`);
  })();
  return flockPath;
}

/** waits (up to `waitSeconds`) until no other apply holds `dir`, then holds it until release() */
export async function acquireApplyLock(dir: string, waitSeconds = APPLY_LOCK_WAIT_SECONDS): Promise<ApplyLock> {
  const flock = await locateFlock();
  // Node opens with O_CLOEXEC: the daemons the helper starts (dnsmasq) never inherit the lock
  const handle = await open(dir, 'r');
  try {
    // execa cannot pass a descriptor as stdin; spawn can (argument array, no shell)
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(flock, ['--exclusive', '--wait', String(waitSeconds), '--conflict-exit-code', String(TIMED_OUT), '0'], {
        stdio: [handle.fd, 'ignore', 'pipe'], env: { LC_ALL: 'C' },
      });
      let said = '';
      child.stderr?.on('data', (chunk: Buffer) => { said += chunk.toString(); });
      child.once('error', reject);
      child.once('close', (exitCode) => resolve({ code: exitCode, stderr: said }));
    });
    if (code === TIMED_OUT) throw new ApplyLockTimeout(`another KVMNet apply has held ${dir} for ${waitSeconds} s`);
    if (code !== 0) throw new Error(`could not lock ${dir}: ${stderr.trim() || `flock exited with ${code}`}`);
  } catch (e) {
    await handle.close();
    throw e;
  }
  return { release: () => handle.close() };
}

/** runs `work` while holding the lock */
export async function withApplyLock<T>(dir: string, work: () => Promise<T>, waitSeconds = APPLY_LOCK_WAIT_SECONDS): Promise<T> {
  const lock = await acquireApplyLock(dir, waitSeconds);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
