import type { HostCounters } from '../core/host-counters';
import type { IpcCaller } from '../ipc/ipc-caller';

/**
 * How often counters are read while a diagram watches them. Two seconds is what nload, `watch ip -s
 * link` and the like refresh at: a rate over two seconds still follows a download or a ping burst
 * as it starts and stops, while one read of /proc/net/dev every 2 s costs next to nothing (4 ms
 * with 1,000 taps, see tests/integration/host/read-link-counters.test.ts) and the event stays
 * small. Faster would redraw the diagram's labels for noise; slower would lag what the user just did.
 */
export const COUNTERS_INTERVAL_MS = 2000;

export interface CountersFeedOptions {
  read(): Promise<HostCounters>;
  intervalMs?: number;
  /** where a failed read or push is reported; the feed keeps going */
  log?: (message: string) => void;
}

interface Watcher {
  caller: IpcCaller;
  /** a renderer may show several diagrams; it watches until each has stopped */
  count: number;
  cancelGone: () => void;
}

const describe = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Pushes `host:counters` to the renderers that watch, and only while one does: the first watcher
 * starts a timer (with a read at once, so rates show after one interval), the last one to stop or
 * to go away (closed, crashed, reloaded) stops it. With nobody watching no timer is armed at all,
 * so an idle app wakes up for nothing. Reads never overlap: the next is armed after one finishes.
 */
export class CountersFeed {
  readonly #read: () => Promise<HostCounters>;
  readonly #intervalMs: number;
  readonly #log: (message: string) => void;
  readonly #watchers = new Map<string, Watcher>();
  #timer: NodeJS.Timeout | undefined;
  #active = false;
  /** bumped on every start and stop, so a read that was under way when the feed stopped sends nothing */
  #generation = 0;

  constructor(options: CountersFeedOptions) {
    this.#read = options.read;
    this.#intervalMs = options.intervalMs ?? COUNTERS_INTERVAL_MS;
    this.#log = options.log ?? ((message) => console.error(`kvmnet: ${message}`));
  }

  /** one more (watching) or one fewer (not watching) diagram of `caller`; a stop it never started is ignored */
  watch(caller: IpcCaller, watching: boolean): { intervalMs: number } {
    const watcher = this.#watchers.get(caller.id);
    if (watching) {
      if (watcher) watcher.count++;
      else this.#watchers.set(caller.id, { caller, count: 1, cancelGone: caller.onGone(() => this.#forget(caller.id)) });
    } else if (watcher && --watcher.count === 0) {
      this.#forget(caller.id);
    }
    this.#schedule();
    return { intervalMs: this.#intervalMs };
  }

  /** whether the feed is reading (a timer armed or a read under way) */
  get active(): boolean {
    return this.#active;
  }

  close(): void {
    for (const id of [...this.#watchers.keys()]) this.#forget(id);
  }

  #forget(id: string): void {
    const watcher = this.#watchers.get(id);
    if (!watcher) return;
    watcher.cancelGone();
    this.#watchers.delete(id);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#watchers.size > 0 && !this.#active) {
      this.#active = true;
      void this.#tick(++this.#generation);
    } else if (this.#watchers.size === 0 && this.#active) {
      this.#active = false;
      this.#generation++;
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  async #tick(generation: number): Promise<void> {
    this.#timer = undefined;
    let counters: HostCounters | undefined;
    try {
      counters = await this.#read();
    } catch (e) {
      this.#log(`could not read the links' counters: ${describe(e)}`);
    }
    if (generation !== this.#generation) return;
    if (counters) {
      for (const { caller } of [...this.#watchers.values()]) {
        try {
          caller.send('host:counters', counters);
        } catch (e) {
          this.#log(`could not push the links' counters: ${describe(e)}`);
        }
      }
    }
    this.#timer = setTimeout(() => void this.#tick(generation), this.#intervalMs);
  }
}
