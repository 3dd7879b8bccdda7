import { existsSync } from 'node:fs';
import { DEVICE_PATHS } from '../host/doctor-facts/read-devices';
import type { HoldingObserver } from '../engine/observed-engine';
import { ObservedNetworkState } from '../engine/observed-network-state';
import { createNetworkService, type NetworkService, type NetworkServiceDeps } from './network-service';

/**
 * The network service on this host: plans from the app's live observer (no process started to
 * read the host; read afresh right after each of its own changes), and the window's own privilege
 * session and save dialog. While a change runs, the observer's re-reads wait for its end, as in
 * the bench's app path (observedEngine).
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
