import { readGuestFacts } from '../engine/guest-facts';
import { readHostNetworkState } from '../engine/host-network-state';
import { createGuestService, type GuestService } from './guest-service';
import type { NetworkService } from './network-service';

/**
 * The guest service on this host: the engine's host read, and changes run by the network service
 * (one at a time, progress on networks:progress). The taps are for the user the app runs as: main
 * is never root, so that is the desktop user; tests in a lab, which run as root, name a stand-in.
 */
export function hostGuestService(networks: Pick<NetworkService, 'runPlan'>, userUid: () => number = () => process.getuid?.() ?? 0): GuestService {
  return createGuestService({
    readState: readHostNetworkState,
    guestFacts: (state) => readGuestFacts(state.plan.snapshot, state.plan.records),
    run: (runId, plan) => networks.runPlan(runId, plan),
    userUid,
    random: Math.random,
  });
}
