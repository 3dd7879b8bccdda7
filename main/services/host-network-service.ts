import { existsSync } from 'node:fs';
import { DEVICE_PATHS } from '../host/doctor-facts/read-devices';
import { ObservedNetworkState } from '../engine/observed-network-state';
import type { HoldingObserver } from '../host/observer';
import { createNetworkService, type NetworkService, type NetworkServiceDeps } from './network-service';

/**
 * The network service on this host: plans from the app's live observer (no process started to
 * read the host; read afresh right after each of its own changes), and the window's own privilege
 * session and save dialog. While a change runs, the observer's re-reads wait for its end: the
 * change's own netlink events would otherwise start one halfway through, processes competing with
 * the change's for the CPU. The bench's app path (bench/agent.ts) runs this very service.
 */
export function hostNetworkService(observer: HoldingObserver, privilege: NetworkServiceDeps['privilege'], saveScript: NetworkServiceDeps['saveScript']): NetworkService {
  const state = new ObservedNetworkState(observer);
  return createNetworkService({
    readState: () => state.read(),
    changed: () => state.forget(),
    privilege: {
      elevate: () => privilege.elevate(),
      helper: () => ({
        async apply(plan, onProgress) {
          const release = observer.holdRefreshes();
          try {
            return await privilege.helper().apply(plan, onProgress);
          } finally {
            release();
          }
        },
      }),
    },
    vhostNet: () => existsSync(DEVICE_PATHS.vhostNet),
    saveScript,
    random: Math.random,
  });
}
