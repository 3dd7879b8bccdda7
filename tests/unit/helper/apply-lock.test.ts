import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireApplyLock, ApplyLockTimeout, withApplyLock } from '../../../main/helper/apply-lock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** whether `promise` has settled after `ms` */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => { settled = true; }, () => { settled = true; });
  await sleep(ms);
  return settled;
}

describe('the apply lock (a listening socket in the journal directory)', () => {
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
    // either may go first, but one ends before the other starts
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

  /** another process holding the lock, as another helper would: node running this very module */
  async function otherHolder(): Promise<ChildProcess> {
    const script = `const m = await import(${JSON.stringify(resolve('main/helper/apply-lock.ts'))}); await m.acquireApplyLock(${JSON.stringify(dir)}); process.stdout.write('held\\n'); setInterval(() => undefined, 60000);`;
    const holder = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await new Promise<void>((held, failed) => {
      holder.stdout!.on('data', (chunk: Buffer) => { if (chunk.toString().includes('held')) held(); });
      holder.once('exit', (code) => failed(new Error(`the holder exited with ${code}`)));
    });
    return holder;
  }

  it('holds against another process, and is freed when that process is killed with SIGKILL, waking a waiter', async () => {
    const holder = await otherHolder();
    await expect(acquireApplyLock(dir, 0)).rejects.toBeInstanceOf(ApplyLockTimeout);
    const waiter = acquireApplyLock(dir, 10);
    expect(await settledWithin(waiter, 300)).toBe(false);
    holder.kill('SIGKILL');
    // the dead holder's apply.lock stays on disk, refusing connections, until the waiter removes it
    await (await waiter).release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock left by a holder that died while nobody waited', async () => {
    const holder = await otherHolder();
    holder.kill('SIGKILL');
    await new Promise((exited) => holder.once('exit', exited));
    expect(await readdir(dir)).toEqual(['apply.lock']);
    await (await acquireApplyLock(dir, 0)).release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('one of many takers at once gets it, the others wait their turn', async () => {
    let inside = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 8 }, () => withApplyLock(dir, async () => {
      most = Math.max(most, ++inside);
      await sleep(10);
      inside--;
    })));
    expect(most).toBe(1);
    expect(await readdir(dir)).toEqual([]);
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
