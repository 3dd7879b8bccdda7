import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { linkSync, lstatSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { access, constants, open, unlink } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

/**
 * One apply (or journal recovery) at a time on this host, whoever runs it: the app's helper, a
 * root `kvmnet` applying in-process, the boot unit. Two of them interleaving would each plan from
 * a host the other is changing, and a starting helper could roll back the journal of an apply
 * that is still running.
 *
 * The lock is a listening unix socket at `apply.lock` in the journal directory (root's, mode
 * 0700), held from reading the host until the journal is gone. Taking it starts no process:
 * - the holder listens on a socket of its own name first, then hard-links it to `apply.lock`:
 *   link(2) never replaces a file, so of several at once exactly one gets the lock, and the name
 *   only ever points at a socket that is already listening;
 * - the kernel closes the socket when its holder dies, even by kill -9 (and no child inherits it:
 *   Node opens every descriptor close-on-exec), so a dead holder's `apply.lock` refuses
 *   connections. Only then is it removed, under flock(1) on the directory so that two takers
 *   never remove a lock one of them has just taken: the one process start left, and only after
 *   a crash;
 * - a waiter connects to the holder and sleeps until that connection closes (the holder lets go
 *   or dies), never polls;
 * - the holder removes `apply.lock` when it lets go: nothing is left on the host but after a
 *   crash, until the next apply or helper start.
 */

const LOCK_NAME = 'apply.lock';
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

/** runs `work` holding flock(2) on `dir`; flock(1) takes it on our descriptor (its stdin) and exits, and closing the descriptor lets go */
async function withDirectoryFlock<T>(dir: string, waitSeconds: number, work: () => Promise<T>): Promise<T> {
  const flock = await locateFlock();
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
    return await work();
  } finally {
    await handle.close();
  }
}

/** listens on `path`; every connection (a waiter) is kept so that letting go can close it */
async function listenAt(path: string): Promise<{ server: Server; waiters: Set<Socket> }> {
  const waiters = new Set<Socket>();
  const server = createServer((socket) => {
    waiters.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => waiters.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, waiters };
}

type Holder = 'gone' | 'dead' | 'timeout';

/** waits on whoever holds `lockPath`: until it lets go or dies ('gone'), or `deadline` passes; 'dead' when it died earlier */
function waitForHolder(lockPath: string, deadline: number): Promise<Holder> {
  return new Promise((resolve, reject) => {
    const socket = connect(lockPath);
    let timer: NodeJS.Timeout | undefined;
    const settle = (holder: Holder) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(holder);
    };
    socket.once('connect', () => { timer = setTimeout(() => settle('timeout'), Math.max(0, deadline - Date.now())); });
    socket.once('close', () => settle('gone'));
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') settle('dead');
      // ENOENT: let go between our link and connect; EAGAIN: its backlog is full; ECONNRESET: it let go before accepting us
      else if (e.code === 'ENOENT' || e.code === 'EAGAIN' || e.code === 'ECONNRESET' || e.code === 'EPIPE') settle('gone');
      else {
        clearTimeout(timer);
        reject(new Error(`could not reach the holder of ${lockPath}: ${e.message}`));
      }
    });
    // a waiter reads nothing: the holder never writes, only closes
    socket.resume();
  });
}

/** connecting to a dead holder's socket is refused; a live one's is accepted or queued */
const refuses = (lockPath: string): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(lockPath);
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code === 'ECONNREFUSED'));
  });

/**
 * Removes a dead holder's lock. Under the directory's flock, only this process removes locks, and
 * a dead lock cannot come back to life: a lock still refused here is the dead one, not one just taken.
 */
async function removeDeadLock(dir: string, lockPath: string, waitSeconds: number): Promise<void> {
  await withDirectoryFlock(dir, waitSeconds, async () => {
    if (await refuses(lockPath)) await unlink(lockPath).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? undefined : Promise.reject(e)));
  });
}

/**
 * link(2) of our socket to the lock's name: true when we got it, false when another holds it.
 * Taking and letting go are synchronous calls: a thread pool round trip each would add to every
 * apply on a busy machine, and they are single quick calls on the journal's directory.
 */
function tryLink(own: string, lockPath: string): boolean {
  try {
    linkSync(own, lockPath);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** waits (up to `waitSeconds`) until no other apply holds `dir`, then holds it until release() */
export async function acquireApplyLock(dir: string, waitSeconds = APPLY_LOCK_WAIT_SECONDS): Promise<ApplyLock> {
  const deadline = Date.now() + waitSeconds * 1000;
  const lockPath = join(dir, LOCK_NAME);
  const own = join(dir, `${LOCK_NAME}.${process.pid}.${randomBytes(6).toString('hex')}`);
  // a missing directory makes bind(2) fail with ENOENT, which libuv reports as EACCES
  const { server, waiters } = await listenAt(own).catch(async (e: unknown) => {
    await access(dir);
    throw e;
  });
  try {
    for (;;) {
      if (tryLink(own, lockPath)) break;
      const holder = await waitForHolder(lockPath, deadline);
      if (holder === 'timeout') throw new ApplyLockTimeout(`another KVMNet apply has held ${dir} for ${waitSeconds} s`);
      if (holder === 'dead') await removeDeadLock(dir, lockPath, Math.max(1, Math.ceil((deadline - Date.now()) / 1000)));
    }
  } catch (e) {
    // closing removes our own name (node unlinks the path it listened on)
    server.close();
    throw e;
  }
  const ours = statSync(own);
  unlinkSync(own);
  return {
    async release() {
      try {
        // the name goes first: from then on a taker links its own socket, and the waiters woken below find it free
        unlinkIfOurs(lockPath, ours);
      } finally {
        // even when the name could not be removed: a lock that refuses connections is a dead one, which the next taker removes
        server.close();
        for (const waiter of waiters) waiter.destroy();
      }
    },
  };
}

/**
 * Removes `apply.lock` only while it is still this holder's socket: removed by hand (or by a
 * mistaken cleanup) and taken since by another process, it is that one's lock now, and removing
 * it would let a third in beside it. Nothing but its holder removes a live lock, so the name
 * cannot change between the check and the unlink.
 */
function unlinkIfOurs(lockPath: string, ours: Stats): void {
  let now: Stats | undefined;
  try {
    now = lstatSync(lockPath);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (now?.ino === ours.ino && now.dev === ours.dev) unlinkSync(lockPath);
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
