import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { buildNodeBundle, type NodeBundle } from '../../lab/build-node-bundle';
import { NODE_ENTRIES } from '../../../vite.node.config';
import { HelperProcess } from '../helper/helper-process';
import { startWatch, type WatchProcess } from './watch-process';

const skip = labUnavailableReason();
if (skip) console.log(`skipped live-state idle and latency tests: ${skip}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const IDLE_MS = 10_000;

/** the observer process (the CLI, nsenter's child) and its children (ip monitor), as host pids */
async function observerPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (cmdline.includes('--watch') && cmdline.some((a) => a.endsWith('kvmnet.cjs')) && !cmdline[0]!.endsWith('nsenter')) pids.push(Number(pid));
  }
  const children = (await Promise.all(pids.map((p) => readFile(`/proc/${p}/task/${p}/children`, 'utf8').catch(() => '')))).join(' ').trim();
  return [...pids, ...(children ? children.split(/\s+/).map(Number) : [])];
}

interface Usage {
  /** user + system clock ticks of every thread */
  ticks: number;
  /** times a process's main thread gave up the CPU to wait: each is one wake-up later */
  wakeUps: number;
  /** the same for every thread (Node's own: V8's garbage collector and memory reducer, libuv's pool) */
  allThreads: number;
}

const switches = async (path: string): Promise<number> =>
  Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(await readFile(path, 'utf8').catch(() => ''))?.[1] ?? 0);

async function usageOf(pids: readonly number[]): Promise<Usage> {
  const usage: Usage = { ticks: 0, wakeUps: 0, allThreads: 0 };
  for (const pid of pids) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    usage.ticks += Number(fields[11]) + Number(fields[12]);
    usage.wakeUps += await switches(`/proc/${pid}/task/${pid}/status`);
    for (const task of await readdir(`/proc/${pid}/task`)) usage.allThreads += await switches(`/proc/${pid}/task/${task}/status`);
  }
  return usage;
}

/** the lab's last pid: every process started in the lab moves it */
const lastPid = async (lab: Lab): Promise<number> => Number((await lab.sh('cat', ['/proc/sys/kernel/ns_last_pid'])).trim());

describe.skipIf(skip)('live state: the observer (kvmnet status --watch) and the helper sleep while the host is idle; the observer follows a change at once', () => {
  let lab: Lab;
  let watch: WatchProcess;
  let built: NodeBundle;
  beforeAll(async () => {
    [built, lab] = await Promise.all([buildNodeBundle('kvmnet', NODE_ENTRIES.kvmnet), startLab()]);
    await lab.sh('sh', ['-c', 'mkdir -p /run/libvirt && mount -t tmpfs tmpfs /run/libvirt']);
    watch = startWatch(lab, built.path);
    await watch.waitFor(() => true, 20_000, 'the first state');
  });
  afterAll(async () => {
    await lab?.close();
    await built?.remove();
  });

  it(`wakes up for nothing over ${IDLE_MS / 1000} idle seconds: no snapshot, no process started, no CPU`, async () => {
    // V8 collects garbage and shrinks its heap a few seconds after the last work (the first snapshots)
    await sleep(3000);
    const pids = await observerPids();
    expect(pids.length, 'the CLI and its ip monitor').toBeGreaterThanOrEqual(2);
    const [snapshots, pid, usage] = [watch.snapshots.length, await lastPid(lab), await usageOf(pids)];
    await sleep(IDLE_MS);
    const after = await usageOf(pids);
    const started = (await lastPid(lab)) - pid - 1; // the second `cat` is one
    const wakeUps = after.wakeUps - usage.wakeUps;
    const allThreads = after.allThreads - usage.allThreads;
    const ticks = after.ticks - usage.ticks;
    console.log(`live state, ${IDLE_MS / 1000} s idle: ${watch.snapshots.length - snapshots} snapshots, ${started} processes started, ${wakeUps} main-thread wake-ups (${allThreads} counting Node's own threads), ${ticks} CPU ticks (the observer and its ip monitor)`);
    expect(watch.snapshots.length - snapshots, 'snapshots while idle').toBe(0);
    expect(started, 'processes started while idle (a polling loop would start ip or virsh)').toBe(0);
    // a poll 10 times a second would wake the main thread 100 times; the few wake-ups left are V8's
    // own housekeeping (its memory reducer runs a while after the last allocation), so the figure is
    // reported and bounded, not asserted to be 0
    expect(wakeUps, 'main-thread wake-ups while idle').toBeLessThan(30);
    // one observe costs tens of ticks; this allows V8's housekeeping, not a single poll
    expect(ticks, 'CPU ticks while idle').toBeLessThanOrEqual(5);
  });

  it(`the root helper, started and asked once, then idle for ${IDLE_MS / 1000} s: no process started, no CPU`, async () => {
    const helper = HelperProcess.start(lab);
    try {
      await helper.request({ method: 'ping' });
      await sleep(3000);
      const pid = await helper.hostPid();
      const [last, usage] = [await lastPid(lab), await usageOf([pid])];
      await sleep(IDLE_MS);
      const after = await usageOf([pid]);
      const started = (await lastPid(lab)) - last - 1;
      console.log(`helper, ${IDLE_MS / 1000} s idle: ${started} processes started, ${after.wakeUps - usage.wakeUps} main-thread wake-ups (${after.allThreads - usage.allThreads} counting Node's own threads), ${after.ticks - usage.ticks} CPU ticks`);
      expect(started).toBe(0);
      expect(after.wakeUps - usage.wakeUps).toBeLessThan(30);
      expect(after.ticks - usage.ticks).toBeLessThanOrEqual(5);
    } finally {
      await helper.close();
    }
  });

  it('reflects a link added in the lab within a moment; the latency is measured and reported', async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = watch.snapshots.length;
      const added = performance.timeOrigin + performance.now();
      await lab.sh('ip', ['link', 'add', `kvlat${i}`, 'type', 'bridge']);
      const seen = await watch.waitFor((s) => s.links.some((l) => l.name === `kvlat${i}`), 5000, `kvlat${i}`, before);
      latencies.push(seen.at - added);
      await sleep(200);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(`live state: a new link shows in the observer's snapshot after ${sorted[4]!.toFixed(0)} ms median, ${sorted[9]!.toFixed(0)} ms at most (10 links; from before \`ip link add\` is started to the snapshot printed; the goal is 200 ms)`);
    // a generous bound, not a timing goal: the figure is the report; this only catches a lost event
    expect(sorted[4]).toBeLessThan(2000);
  });
});
