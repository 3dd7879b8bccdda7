import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { coalesceRefreshes } from '../../../main/host/coalesced-refresh';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('coalesceRefreshes', () => {
  it('runs one refresh for a burst, once the burst is quiet', async () => {
    const refresh = vi.fn(async () => {});
    const c = coalesceRefreshes(refresh, 50, 500);
    for (let i = 0; i < 10; i++) {
      c.poke();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(50);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('does not let a steady trickle postpone the refresh past the maximum delay', async () => {
    const refresh = vi.fn(async () => {});
    const c = coalesceRefreshes(refresh, 50, 200);
    for (let i = 0; i < 30; i++) {
      c.poke();
      await vi.advanceTimersByTimeAsync(20);
    }
    expect(refresh.mock.calls.length).toBeGreaterThanOrEqual(2);
    expect(refresh.mock.calls.length).toBeLessThanOrEqual(3);
  });

  it('never overlaps refreshes, and runs once more for events during one', async () => {
    let running = 0;
    let maxRunning = 0;
    const refresh = vi.fn(async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await new Promise((r) => setTimeout(r, 100));
      running--;
    });
    const c = coalesceRefreshes(refresh, 50, 500);
    c.poke();
    await vi.advanceTimersByTimeAsync(60);
    c.poke();
    c.poke();
    await vi.advanceTimersByTimeAsync(1000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(maxRunning).toBe(1);
  });

  it('does nothing without events, and nothing after cancel', async () => {
    const refresh = vi.fn(async () => {});
    const c = coalesceRefreshes(refresh, 50, 500);
    await vi.advanceTimersByTimeAsync(5000);
    c.poke();
    c.cancel();
    c.poke();
    await vi.advanceTimersByTimeAsync(5000);
    expect(refresh).not.toHaveBeenCalled();
  });

  it('holds refreshes back while held, then runs one for everything that happened meanwhile', async () => {
    const refresh = vi.fn(async () => {});
    const c = coalesceRefreshes(refresh, 50, 500);
    const release = c.hold();
    for (let i = 0; i < 5; i++) {
      c.poke();
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(refresh).not.toHaveBeenCalled();
    release();
    release();
    await vi.advanceTimersByTimeAsync(49);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('after a hold with no events, refreshes nothing', async () => {
    const refresh = vi.fn(async () => {});
    const c = coalesceRefreshes(refresh, 50, 500);
    c.hold()();
    await vi.advanceTimersByTimeAsync(1000);
    expect(refresh).not.toHaveBeenCalled();
  });
});
