import { hostBridgedEngine } from '../engine/bridged/bridged-engine';
import { readBridgedStatus, readPending } from '../engine/bridged/bridged-state';
import { waitForOutcome } from '../engine/bridged/confirm-bridged';
import { createBridgedService, type BridgedService } from './bridged-service';
import type { SessionPrivilege } from '../engine/run-plan';

/** The bridge-to-LAN service on this host: the engine's host reads, and the window's own privilege session. */
export function hostBridgedService(privilege: SessionPrivilege): BridgedService {
  const { run: _runsElsewhere, ...host } = hostBridgedEngine;
  return createBridgedService({
    host,
    privilege,
    readStatus: readBridgedStatus,
    readPending,
    waitForOutcome: (network, armId, until) => waitForOutcome(network, armId, until),
  });
}
