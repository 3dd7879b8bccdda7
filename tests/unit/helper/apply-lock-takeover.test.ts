import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { acquireApplyLock } from '../../../main/helper/apply-lock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** whether `promise` has settled after `ms` */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => { settled = true; }, () => { settled = true; });
  await sleep(ms);
  return settled;
}

/** a process of its own taking the lock, as another helper or a root CLI would: node running this very module */
interface Taker {
  child: ChildProcess;
  /** resolves with the time (Date.now() in the taker) it got the lock */
  held: Promise<number>;
  /** what the taker's release() said: 'released' or the error */
  release(): Promise<string>;
}

/**
 * Waiters on a lock whose holder is gone must not wait out their whole wait (300 s in the helper):
 * a holder that could not remove apply.lock, or that died at an awkward point, lets them take
 * over at once, and never two at a time. Every holder and waiter here is a process of its own.
 */
describe('taking over the apply lock from a holder that is gone', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'kvmnet-lock-')); });
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  function taker(waitSeconds = 20): Taker {
    const script = `
      const m = await import(${JSON.stringify(resolve('main/helper/apply-lock.ts'))});
      const lock = await m.acquireApplyLock(${JSON.stringify(dir)}, ${waitSeconds});
      process.stdout.write('held ' + Date.now() + '\\n');
      process.stdin.on('data', () => lock.release().then(() => 'released', (e) => 'failed: ' + e.message).then((said) => process.stdout.write(said + '\\n')));`;
    const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', '--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
    children.push(child);
    const lines: string[] = [];
    const listeners: (() => void)[] = [];
    child.stdout!.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      for (const listener of listeners) listener();
    });
    const line = (match: (l: string) => boolean) => new Promise<string>((found, failed) => {
      const look = () => {
        const hit = lines.find(match);
        if (hit) found(hit);
      };
      listeners.push(look);
      look();
      child.once('exit', (code, signal) => failed(new Error(`the taker exited (${code ?? signal}) before saying it`)));
    });
    return {
      child,
      held: line((l) => l.startsWith('held ')).then((l) => Number(l.slice(5))),
      async release() {
        child.stdin!.write('release\n');
        return line((l) => l === 'released' || l.startsWith('failed'));
      },
    };
  }

  const killed = (child: ChildProcess) => new Promise<void>((exited) => {
    child.once('exit', () => exited());
    child.kill('SIGKILL');
  });

  it('a holder whose apply.lock was removed under it lets its waiters go at once, and removes no other\'s lock', async () => {
    const holder = taker();
    await holder.held;
    const waiter = acquireApplyLock(dir, 20);
    expect(await settledWithin(waiter, 300)).toBe(false);
    // removed by hand while held: the next taker gets it beside the holder, which nothing can prevent
    await unlink(join(dir, 'apply.lock'));
    const next = taker();
    await next.held;

    // the old holder's release must neither keep its waiter waiting nor remove the new holder's lock
    expect(await holder.release()).toBe('released');
    expect(await settledWithin(waiter, 1000)).toBe(false);
    expect(await next.release()).toBe('released');
    expect(await settledWithin(waiter, 2000)).toBe(true);
    await (await waiter).release();
    expect(await readdir(dir)).toEqual([]);
  }, 20_000);

  it('a holder that cannot remove apply.lock still wakes its waiters, which take over within a second', async () => {
    const holder = taker();
    await holder.held;
    const waiter = acquireApplyLock(dir, 20);
    expect(await settledWithin(waiter, 300)).toBe(false);
    await unlink(join(dir, 'apply.lock'));
    const started = Date.now();
    await holder.release();
    await (await waiter).release();
    expect(Date.now() - started).toBeLessThan(2000);
  }, 20_000);

  it('two waiters racing for a holder killed with SIGKILL: one at a time, and the second at once when the first is killed as soon as it holds', async () => {
    const holder = taker();
    await holder.held;
    const waiters = [taker(), taker()];
    await sleep(300);
    const started = Date.now();
    await killed(holder.child);

    const first = await Promise.race(waiters.map(async (w) => ({ w, at: await w.held })));
    const second = waiters.find((w) => w !== first.w)!;
    // the second still waits: the first holds
    expect(await settledWithin(second.held, 300)).toBe(false);
    await killed(first.w.child);
    const secondAt = await second.held;
    expect(secondAt).toBeGreaterThan(first.at);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await second.release()).toBe('released');
    expect(await readdir(dir)).toEqual([]);
  }, 20_000);
});
