import { BridgedRecord } from '../../core/bridge-to-lan/bridged-record';
import { bridgedRecordPath } from '../../core/paths';
import type { HostIo } from '../host-io';
import { ownerNetwork } from '../link-facts';
import { ensurePlacement, readAddressing } from '../uplink-placement';
import type { Undo } from '../undo';
import type { HostOp, Refusal, StepOf } from './op';
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

type PlacementStep = StepOf<'uplink.bridge' | 'uplink.unbridge'>;

/**
 * Moves the uplink's addressing (addresses with their lifetimes, and routes) `to` the bridge or back
 * to the uplink; the inverse is the addressing as read just before, where it was.
 */
function movingAddressing(to: 'bridge' | 'uplink') {
  const from = to === 'bridge' ? 'uplink' : 'bridge';
  const read = (step: PlacementStep, io: HostIo) => readAddressing(io, step[from], step.uplink);
  return {
    check: (step: PlacementStep, state: PlanState) => checkUplink(step, state, to === 'bridge' ? 'onto' : 'off'),
    simulate: (_step: PlacementStep, state: PlanState) => state,

    async inverse(step: PlacementStep, io: HostIo): Promise<Undo[]> {
      await requireRuntimeRecord(io, step);
      return [{ ensure: 'uplink.placement', network: step.network, bridge: step.bridge, on: from, addressing: await read(step, io) }];
    },

    async run(step: PlacementStep, io: HostIo): Promise<string> {
      const addressing = await read(step, io);
      await ensurePlacement(io, { network: step.network, bridge: step.bridge, on: to, addressing });
      return `${addressing.addresses.length} address(es) and ${addressing.routes.length} route(s) moved to ${step[to]}`;
    },
  };
}

/**
 * Without NetworkManager: a new bridge (ours, alias kvmnet:<network>) takes the uplink's MAC (so the
 * LAN's DHCP server and neighbours see the same host), its addressing, and the uplink as its port.
 */
export const uplinkBridge: HostOp<'uplink.bridge'> = movingAddressing('bridge');

/** The reverse: the uplink gets back the addressing the bridge carries now, and the bridge goes. */
export const uplinkUnbridge: HostOp<'uplink.unbridge'> = movingAddressing('uplink');
