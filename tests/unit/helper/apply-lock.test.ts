import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireApplyLock, ApplyLockTimeout, withApplyLock } from '../../../main/helper/apply-lock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** whether `promise` has settled after `ms` */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => { settled = true; }, () => { settled = true; });
  await sleep(ms);
  return settled;
}

describe('the apply lock (flock on the journal directory)', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'kvmnet-lock-')); });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('a second holder waits until the first releases, then gets it', async () => {
    const first = await acquireApplyLock(dir);
    const second = acquireApplyLock(dir);
    expect(await settledWithin(second, 300)).toBe(false);
    await first.release();
    const lock = await second;
    await lock.release();
  });

  it('runs overlapping work one after the other, never interleaved', async () => {
    const order: string[] = [];
    const job = (name: string) => withApplyLock(dir, async () => {
      order.push(`${name} starts`);
      await sleep(100);
      order.push(`${name} ends`);
      return name;
    });
    expect(await Promise.all([job('a'), job('b')])).toEqual(['a', 'b']);
    // flock is not fair: either may go first, but one ends before the other starts
    expect([['a starts', 'a ends', 'b starts', 'b ends'], ['b starts', 'b ends', 'a starts', 'a ends']]).toContainEqual(order);
  });

  it('releases when the work throws', async () => {
    await expect(withApplyLock(dir, () => Promise.reject(new Error('step failed')))).rejects.toThrow('step failed');
    await (await acquireApplyLock(dir, 1)).release();
  });

  it('gives up with ApplyLockTimeout after the wait, leaving the holder alone', async () => {
    const holder = await acquireApplyLock(dir);
    await expect(acquireApplyLock(dir, 1)).rejects.toBeInstanceOf(ApplyLockTimeout);
    await holder.release();
  });

  it('is dropped by the kernel when its holder is killed with SIGKILL', async () => {
    // flock(1) holding the directory while it waits for `sleep`; -o: sleep does not inherit the lock
    const holder = spawn('flock', ['--exclusive', '-o', dir, 'sleep', '60'], { stdio: 'ignore' });
    children.push(holder);
    for (let i = 0; i < 100; i++) {
      const probe = await acquireApplyLock(dir, 0).catch((e: unknown) => e);
      if (probe instanceof ApplyLockTimeout) break;
      await (probe as { release(): Promise<void> }).release();
      await sleep(20);
    }
    await expect(acquireApplyLock(dir, 0)).rejects.toBeInstanceOf(ApplyLockTimeout);
    holder.kill('SIGKILL');
    const lock = await acquireApplyLock(dir, 5);
    await lock.release();
  });

  it('is not inherited by a daemon started while it is held', async () => {
    const lock = await acquireApplyLock(dir);
    const daemon = spawn('sleep', ['60'], { stdio: 'ignore', detached: true });
    children.push(daemon);
    await lock.release();
    const next = await acquireApplyLock(dir, 1);
    await next.release();
  });

  it('says what is missing when the directory does not exist', async () => {
    await expect(acquireApplyLock(join(dir, 'absent'))).rejects.toThrow(/ENOENT/);
  });
});
