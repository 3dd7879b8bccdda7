import type { HostObserver } from '../host/observer';
import type { HelperClient } from '../privilege/helper-client';
import type { NetworkEngine } from './engine';
import { ObservedNetworkState } from './observed-network-state';
import { applyThroughHelper } from './run-plan';

/** an observer whose re-reads can wait for an apply to finish (LiveHostObserver) */
export interface HoldingObserver extends Pick<HostObserver, 'snapshot' | 'subscribe'> {
  holdRefreshes(): () => void;
}

/**
 * The engine of the app: plans from the observer's current snapshot (ObservedNetworkState) and
 * runs them on the session's helper, which is already running. While a plan runs, the observer's
 * re-read waits: the apply's own netlink events would otherwise start one halfway through, five
 * processes competing with the apply's for the CPU; it reads once the apply is over, and the next
 * plan reads the host afresh.
 */
export function observedEngine(observer: HoldingObserver, helper: () => Pick<HelperClient, 'apply'>): NetworkEngine & Pick<ObservedNetworkState, 'snapshot' | 'close'> {
  const state = new ObservedNetworkState(observer);
  return {
    readState: () => state.read(),
    async run(plan, onProgress) {
      const release = observer.holdRefreshes();
      try {
        return await applyThroughHelper(helper(), plan, onProgress);
      } finally {
        state.forget();
        release();
      }
    },
    snapshot: () => state.snapshot(),
    close: () => state.close(),
  };
}
