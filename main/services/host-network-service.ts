import { existsSync } from 'node:fs';
import { DEVICE_PATHS } from '../host/doctor-facts/read-devices';
import { readHostNetworkState } from '../engine/host-network-state';
import { createNetworkService, type NetworkService, type NetworkServiceDeps } from './network-service';

/** The network service on this host: the engine's host read, and the window's own privilege session and save dialog. */
export function hostNetworkService(privilege: NetworkServiceDeps['privilege'], saveScript: NetworkServiceDeps['saveScript']): NetworkService {
  return createNetworkService({
    readState: readHostNetworkState,
    privilege,
    vhostNet: () => existsSync(DEVICE_PATHS.vhostNet),
    saveScript,
    random: Math.random,
  });
}
