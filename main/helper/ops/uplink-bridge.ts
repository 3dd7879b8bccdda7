import { BridgedRecord } from '../../core/bridge-to-lan/bridged-record';
import { bridgedRecordPath } from '../../core/paths';
import type { HostIo } from '../host-io';
import { ownerNetwork } from '../link-facts';
import { ensurePlacement, readAddressing } from '../uplink-placement';
import type { HostOp, Refusal } from './op';
import type { PlanState } from '../plan-state';

/** the uplink is the one the user chose for this network: a real link, not a KVMNet one, and not already a port */
function checkUplink(step: { uplink: string; bridge: string; network: string }, state: PlanState, moving: 'onto' | 'off'): Refusal | undefined {
  const uplink = state.links.get(step.uplink);
  if (!uplink) return { code: 'INVALID_REQUEST', field: 'uplink', message: `${step.uplink} does not exist; pick the NIC that connects this host to the LAN` };
  if (step.uplink === step.bridge) return { code: 'INVALID_REQUEST', field: 'bridge', message: 'the bridge needs a name of its own, such as br0' };
  const bridge = state.links.get(step.bridge);
  if (bridge && ownerNetwork(bridge) !== step.network) return { code: 'NOT_OWNED', field: 'bridge', message: `a link named ${step.bridge} already exists and is not this network's bridge; choose another name` };
  if (moving === 'onto' && uplink.master !== undefined && uplink.master !== step.bridge) {
    return { code: 'NOT_ALLOWED', field: 'uplink', message: `${step.uplink} is already a port of ${uplink.master}` };
  }
  return undefined;
}

/** the runtime record names this uplink and bridge: unbridging is only for what KVMNet bridged */
async function requireRuntimeRecord(io: HostIo, step: { network: string; uplink: string; bridge: string }): Promise<void> {
  const text = await io.readText(bridgedRecordPath(step.network, false)) ?? await io.readText(bridgedRecordPath(step.network, true));
  const record = text === undefined ? undefined : BridgedRecord.parse(JSON.parse(text));
  if (!record || record.uplink !== step.uplink || record.bridge !== step.bridge) {
    throw new Error(`network ${step.network} has no record of bridging ${step.uplink} as ${step.bridge}; KVMNet leaves it alone`);
  }
}

/**
 * Without NetworkManager: a new bridge (ours, alias kvmnet:<network>) takes the uplink's MAC (so the
 * LAN's DHCP server and neighbours see the same host), its addresses with their lifetimes and its
 * routes; the uplink becomes its port. The inverse is the addressing as read just before.
 */
export const uplinkBridge: HostOp<'uplink.bridge'> = {
  check: (step, state) => checkUplink(step, state, 'onto'),
  simulate: (_step, state) => state,

  async inverse(step, io) {
    await requireRuntimeRecord(io, step);
    const addressing = await readAddressing(io, step.uplink, step.uplink);
    return [{ ensure: 'uplink.placement', network: step.network, bridge: step.bridge, on: 'uplink', addressing }];
  },

  async run(step, io) {
    const addressing = await readAddressing(io, step.uplink, step.uplink);
    await ensurePlacement(io, { network: step.network, bridge: step.bridge, on: 'bridge', addressing });
    return `${addressing.addresses.length} address(es) and ${addressing.routes.length} route(s) moved to ${step.bridge}`;
  },
};

/** The reverse: the uplink gets back the addressing the bridge carries now, and the bridge goes. */
export const uplinkUnbridge: HostOp<'uplink.unbridge'> = {
  check: (step, state) => checkUplink(step, state, 'off'),
  simulate: (_step, state) => state,

  async inverse(step, io) {
    await requireRuntimeRecord(io, step);
    const addressing = await readAddressing(io, step.bridge, step.uplink);
    return [{ ensure: 'uplink.placement', network: step.network, bridge: step.bridge, on: 'bridge', addressing }];
  },

  async run(step, io) {
    const addressing = await readAddressing(io, step.bridge, step.uplink);
    await ensurePlacement(io, { network: step.network, bridge: step.bridge, on: 'uplink', addressing });
    return undefined;
  },
};
