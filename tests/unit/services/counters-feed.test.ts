import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HostCounters } from '../../../main/core/host-counters';
import type { IpcCaller } from '../../../main/ipc/ipc-caller';
import { COUNTERS_INTERVAL_MS, CountersFeed } from '../../../main/services/counters-feed';

/** a renderer as main sees it: what it was sent, and a way to make it go away */
function renderer(id: string) {
  const sent: unknown[] = [];
  const goneListeners = new Set<() => void>();
  const caller: IpcCaller = {
    id,
    send: (event, payload) => void sent.push([event, payload]),
    onGone(listener) {
      goneListeners.add(listener);
      return () => goneListeners.delete(listener);
    },
  };
  return { caller, sent, goneListeners, destroy: () => [...goneListeners].forEach((l) => l()) };
}

let reads = 0;
const read = vi.fn(async (): Promise<HostCounters> => {
  reads++;
  return { takenAt: new Date().toISOString(), links: [{ name: 'eth0', rxBytes: reads * 1000, txBytes: 0, rxPackets: reads, txPackets: 0 }] };
});
/** lets the read's promise settle, then moves the clock */
const elapse = (ms: number) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers();
  reads = 0;
  read.mockClear();
});
afterEach(() => vi.useRealTimers());

describe('CountersFeed', () => {
  it('arms no timer and reads nothing while nobody watches', async () => {
    const feed = new CountersFeed({ read });
    await elapse(10 * COUNTERS_INTERVAL_MS);
    expect(vi.getTimerCount()).toBe(0);
    expect(read).not.toHaveBeenCalled();
    expect(feed.active).toBe(false);
  });

  it('starts on the first watcher with a read at once, then one per interval, pushed to the watcher', async () => {
    const feed = new CountersFeed({ read });
    const page = renderer('a');
    expect(feed.watch(page.caller, true)).toEqual({ intervalMs: COUNTERS_INTERVAL_MS });
    await elapse(0);
    expect(page.sent).toHaveLength(1);
    expect(page.sent[0]).toMatchObject(['host:counters', { links: [{ name: 'eth0', rxBytes: 1000 }] }]);
    await elapse(COUNTERS_INTERVAL_MS * 3);
    expect(read).toHaveBeenCalledTimes(4);
    expect(page.sent).toHaveLength(4);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('counts per renderer and stops, with no timer left, when the last watch of the last renderer ends', async () => {
    const feed = new CountersFeed({ read });
    const [a, b] = [renderer('a'), renderer('b')];
    feed.watch(a.caller, true);
    feed.watch(a.caller, true);
    feed.watch(b.caller, true);
    await elapse(0);
    expect(read).toHaveBeenCalledTimes(1);
    expect([a.sent.length, b.sent.length]).toEqual([1, 1]);

    feed.watch(b.caller, false);
    feed.watch(a.caller, false);
    await elapse(COUNTERS_INTERVAL_MS);
    expect([a.sent.length, b.sent.length]).toEqual([2, 1]);
    expect(feed.active).toBe(true);

    feed.watch(a.caller, false);
    expect(feed.active).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect([a.goneListeners.size, b.goneListeners.size]).toEqual([0, 0]);
    await elapse(10 * COUNTERS_INTERVAL_MS);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('ignores a stop that was never started: it cannot end another diagram\'s watch', async () => {
    const feed = new CountersFeed({ read });
    const page = renderer('a');
    feed.watch(page.caller, false);
    expect(feed.active).toBe(false);
    feed.watch(page.caller, true);
    feed.watch(renderer('a-twin').caller, false);
    await elapse(COUNTERS_INTERVAL_MS);
    expect(feed.active).toBe(true);
    expect(page.sent).toHaveLength(2);
  });

  it('stops when the watching renderer is destroyed without saying so', async () => {
    const feed = new CountersFeed({ read });
    const page = renderer('a');
    feed.watch(page.caller, true);
    feed.watch(page.caller, true);
    await elapse(0);
    page.destroy();
    expect(feed.active).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    await elapse(10 * COUNTERS_INTERVAL_MS);
    expect(page.sent).toHaveLength(1);
  });

  it('sends nothing from a read that was under way when the feed stopped, and restarts cleanly', async () => {
    let finish: ((c: HostCounters) => void) | undefined;
    const slow = vi.fn(() => new Promise<HostCounters>((resolve) => { finish = resolve; }));
    const feed = new CountersFeed({ read: slow });
    const page = renderer('a');
    feed.watch(page.caller, true);
    feed.watch(page.caller, false);
    finish!({ takenAt: new Date().toISOString(), links: [] });
    await elapse(COUNTERS_INTERVAL_MS);
    expect(page.sent).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps going after a failed read, and says why', async () => {
    const log = vi.fn();
    const failing = vi.fn().mockRejectedValueOnce(new Error('EACCES: /sys/class/net')).mockImplementation(read);
    const feed = new CountersFeed({ read: failing, log });
    const page = renderer('a');
    feed.watch(page.caller, true);
    await elapse(0);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('EACCES: /sys/class/net'));
    expect(page.sent).toEqual([]);
    await elapse(COUNTERS_INTERVAL_MS);
    expect(page.sent).toHaveLength(1);
  });

  it('close() forgets every watcher and stops', async () => {
    const feed = new CountersFeed({ read });
    const page = renderer('a');
    feed.watch(page.caller, true);
    await elapse(0);
    feed.close();
    expect(feed.active).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(page.goneListeners.size).toBe(0);
  });
});
