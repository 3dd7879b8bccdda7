/**
 * Turns bursts of host events into few re-reads. A refresh starts once events have been quiet for
 * `quietMs`, but no later than `maxDelayMs` after the first event of a burst (a steady trickle must
 * not postpone it for ever). Refreshes never overlap: events during one schedule exactly one more.
 */
export interface CoalescedRefresh {
  /** an event happened */
  poke(): void;
  /**
   * Holds refreshes back until the returned function is called: events meanwhile make one refresh
   * afterwards. For a burst we cause ourselves (an apply), read once when it is over rather than
   * halfway through, competing with it for the CPU.
   */
  hold(): () => void;
  cancel(): void;
}

/** `refresh` must not reject: it is run from a timer, where nobody could catch it */
export function coalesceRefreshes(refresh: () => Promise<void>, quietMs: number, maxDelayMs: number): CoalescedRefresh {
  let timer: NodeJS.Timeout | undefined;
  let burstStart: number | undefined;
  let running = false;
  let pokedWhileRunning = false;
  let cancelled = false;
  let holds = 0;
  let heldBack = false;

  const run = async (): Promise<void> => {
    timer = undefined;
    burstStart = undefined;
    if (holds > 0) {
      heldBack = true;
      return;
    }
    running = true;
    await refresh();
    running = false;
    if (pokedWhileRunning) {
      pokedWhileRunning = false;
      poke();
    }
  };

  const poke = (): void => {
    if (cancelled) return;
    if (running) {
      pokedWhileRunning = true;
      return;
    }
    const now = Date.now();
    burstStart ??= now;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), Math.max(0, Math.min(quietMs, burstStart + maxDelayMs - now)));
  };

  return {
    poke,
    hold() {
      holds++;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        holds--;
        if (holds === 0 && heldBack) {
          heldBack = false;
          poke();
        }
      };
    },
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
