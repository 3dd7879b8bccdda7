import type { PlanState } from '../plan-state';
import { ensureNetworkdFiles, readNetworkdFiles, recordsNetworkdBridge, renderFromUplink, requireNetworkdRecord } from '../networkd-control';
import type { HostOp, Refusal, StepOf } from './op';

/**
 * A real uplink, a bridge name of its own, and the network's record (as the plan's earlier steps
 * leave it) saying networkd bridges this uplink as this bridge: networkd bridges carry no KVMNet
 * alias, so without the record any bridge of that name would be someone else's.
 */
function checkNames(step: StepOf<'networkd.bridge' | 'networkd.unbridge'>, state: PlanState): Refusal | undefined {
  const uplink = state.links.get(step.uplink);
  if (!uplink) return { code: 'INVALID_REQUEST', field: 'uplink', message: `${step.uplink} does not exist; pick the NIC that connects this host to the LAN` };
  if (step.uplink === step.bridge) return { code: 'INVALID_REQUEST', field: 'bridge', message: 'the bridge needs a name of its own, such as br0' };
  if (!recordsNetworkdBridge(state.networkdRecords?.get(step.network), step)) {
    return { code: 'NOT_OWNED', field: 'network', message: `network ${step.network} has no record of bridging ${step.uplink} as ${step.bridge} through systemd-networkd; KVMNet leaves that bridge alone` };
  }
  const bridge = state.links.get(step.bridge);
  if (bridge && (bridge.kind !== 'bridge' || (uplink.master !== undefined && uplink.master !== step.bridge))) {
    return { code: 'NOT_OWNED', field: 'bridge', message: `a link named ${step.bridge} already exists and is not the bridge of ${step.uplink}; choose another name` };
  }
  // networkd would take a bridge that exists already as its own, and a later delete would remove it
  if (step.op === 'networkd.bridge' && bridge && uplink.master !== step.bridge) {
    return { code: 'NOT_OWNED', field: 'bridge', message: `a bridge named ${step.bridge} already exists and is not KVMNet's; choose another name` };
  }
  if (uplink.master !== undefined && uplink.master !== step.bridge) return { code: 'NOT_ALLOWED', field: 'uplink', message: `${step.uplink} is already a port of ${uplink.master}` };
  return undefined;
}

/**
 * systemd-networkd bridges the uplink: KVMNet's three files in /etc/systemd/network (the bridge
 * with the NIC's MAC, so the DHCP server hands the bridge the NIC's lease; the NIC as its port; the
 * user's own .network carried over to the bridge), networkd reloaded. The inverse: none of KVMNet's
 * files, the bridge gone, the user's .network in charge of the uplink again.
 */
export const networkdBridge: HostOp<'networkd.bridge'> = {
  check: checkNames,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    await requireNetworkdRecord(io, step);
    return [{ ensure: 'networkd.files', network: step.network, uplink: step.uplink, bridge: step.bridge, files: [] }];
  },

  async run(step, io) {
    const files = await renderFromUplink(io, step.uplink, step.bridge);
    return (await ensureNetworkdFiles(io, { uplink: step.uplink, bridge: step.bridge, files })).did;
  },
};

/** The reverse; its inverse puts back KVMNet's files exactly as they were just before. */
export const networkdUnbridge: HostOp<'networkd.unbridge'> = {
  check: checkNames,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    await requireNetworkdRecord(io, step);
    return [{ ensure: 'networkd.files', network: step.network, uplink: step.uplink, bridge: step.bridge, files: await readNetworkdFiles(io, step.uplink, step.bridge) }];
  },

  async run(step, io) {
    const outcome = await ensureNetworkdFiles(io, { uplink: step.uplink, bridge: step.bridge, files: [] });
    if (outcome.left) throw new Error(outcome.left);
    return outcome.did;
  },
};
