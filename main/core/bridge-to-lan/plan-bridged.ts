import type { PendingChange } from './bridged-steps';
import type { Plan, Step } from '../../helper/protocol';
import type { BridgedRecord } from './bridged-record';
import type { NmUplink } from './nm-profile';
import { planNmBridge } from './plan-nm-bridge';
import type { UplinkAddressing } from './uplink-addressing';

/**
 * Plans that bridge the user's uplink to the LAN and take the bridge away again, each ending in a
 * change that waits for confirmation (pending.arm) with its own rollback and commit. The caller
 * picks UUIDs, the time and the arm id, so every plan is a pure function of its request.
 */

export interface PendingTiming {
  /** ISO time the plan is made */
  readonly now: string;
  readonly confirmTimeoutSeconds: number;
  readonly armId: string;
}

export interface BridgedPlan {
  readonly plan: Plan;
  readonly record: BridgedRecord;
  readonly pending: PendingChange;
}

const deadlineOf = (t: PendingTiming): string => new Date(Date.parse(t.now) + t.confirmTimeoutSeconds * 1000).toISOString();

function pendingOf(record: BridgedRecord, action: PendingChange['action'], t: PendingTiming, rollback: PendingChange['rollback'], commit: PendingChange['commit']): PendingChange {
  return {
    format: 1, network: record.name, armId: t.armId, action, persistence: record.persistence,
    uplink: record.uplink, bridge: record.bridge, createdAt: t.now, deadline: deadlineOf(t), rollback, commit,
  };
}

export interface NmCreateRequest extends PendingTiming {
  readonly name: string;
  readonly uplink: NmUplink;
  readonly bridgeName: string;
  readonly bridgeUuid: string;
  readonly portUuid: string;
}

/**
 * NetworkManager: a checkpoint of the uplink that NM rolls back by itself at the deadline, the
 * bridge and port profiles, the bridge activated (the port takes the NIC from the user's profile,
 * which stays as it is). Confirming ends the checkpoint; a rollback restores it and forgets the record.
 */
export function planNmCreate(request: NmCreateRequest): BridgedPlan {
  const nm = planNmBridge({ uplink: request.uplink, bridgeName: request.bridgeName, bridgeUuid: request.bridgeUuid, portUuid: request.portUuid });
  const network = request.name;
  const record: BridgedRecord = {
    format: 1, name: network, uplink: request.uplink.device, bridge: nm.bridge.name, persistence: 'networkmanager', createdAt: request.now,
    nm: { bridgeUuid: nm.bridge.uuid, portUuid: nm.port.uuid, uplinkProfile: { uuid: nm.replaces.uuid, id: nm.replaces.id } },
  };
  const pending = pendingOf(record, 'create', request,
    [{ op: 'nm.checkpoint.rollback', network }, { op: 'bridged.record', network, persistent: true, record: null }],
    [{ op: 'nm.checkpoint.destroy', network }]);
  const adds: Step[] = nm.profiles.map((p) => ({ op: 'nm.connection.add', network, uuid: p.uuid, type: p.type, id: p.id, ifname: p.ifname, settings: p.settings.map(([k, v]) => [k, v] as [string, string]) }));
  return {
    record,
    pending,
    plan: {
      description: `bridge ${record.uplink} to the LAN as ${record.bridge} through NetworkManager (network ${network})`,
      steps: [
        { op: 'bridged.record', network, persistent: true, record },
        { op: 'nm.checkpoint.create', network, devices: [record.uplink], timeoutSeconds: request.confirmTimeoutSeconds },
        ...adds,
        { op: 'nm.connection.up', network, uuid: nm.bridge.uuid, device: nm.bridge.name },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

/**
 * Undo through NetworkManager, under a checkpoint too: KVMNet's two profiles go, the user's own
 * profile comes back on the uplink. Verified like a create, then committed.
 */
export function planNmDelete(record: BridgedRecord, t: PendingTiming): BridgedPlan {
  if (!record.nm) throw new Error(`network ${record.name} was not bridged through NetworkManager`);
  const network = record.name;
  const pending = pendingOf(record, 'delete', t,
    [{ op: 'nm.checkpoint.rollback', network }, { op: 'bridged.record', network, persistent: true, record }],
    [{ op: 'nm.checkpoint.destroy', network }]);
  return {
    record,
    pending,
    plan: {
      description: `remove bridge ${record.bridge} and give ${record.uplink} back to "${record.nm.uplinkProfile.id}" (network ${network})`,
      steps: [
        { op: 'nm.checkpoint.create', network, devices: [record.uplink, record.bridge], timeoutSeconds: t.confirmTimeoutSeconds },
        { op: 'nm.connection.delete', network, uuid: record.nm.portUuid },
        { op: 'nm.connection.delete', network, uuid: record.nm.bridgeUuid },
        { op: 'nm.connection.up', network, uuid: record.nm.uplinkProfile.uuid, device: record.uplink },
        { op: 'bridged.record', network, persistent: true, record: null },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

export interface RuntimeCreateRequest extends PendingTiming {
  readonly name: string;
  readonly bridgeName: string;
  /** as read from the kernel now: kept in the record, to show and to compare */
  readonly addressing: UplinkAddressing;
}

/** Without NetworkManager or networkd: the kernel alone, gone at the next reboot. */
export function planRuntimeCreate(request: RuntimeCreateRequest): BridgedPlan {
  const network = request.name;
  const uplink = request.addressing.uplink;
  const record: BridgedRecord = {
    format: 1, name: network, uplink, bridge: request.bridgeName, persistence: 'runtime', createdAt: request.now, addressing: request.addressing,
  };
  const pending = pendingOf(record, 'create', request,
    [{ op: 'uplink.unbridge', network, uplink, bridge: record.bridge }, { op: 'bridged.record', network, persistent: false, record: null }],
    []);
  return {
    record,
    pending,
    plan: {
      description: `bridge ${uplink} to the LAN as ${record.bridge}, until the next reboot (network ${network})`,
      steps: [
        { op: 'bridged.record', network, persistent: false, record },
        { op: 'uplink.bridge', network, uplink, bridge: record.bridge },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

/** The runtime bridge's addressing goes back to the uplink; nothing else of the host was touched. */
export function planRuntimeDelete(record: BridgedRecord, t: PendingTiming): BridgedPlan {
  const network = record.name;
  const pending = pendingOf(record, 'delete', t,
    [{ op: 'bridged.record', network, persistent: false, record }, { op: 'uplink.bridge', network, uplink: record.uplink, bridge: record.bridge }],
    [{ op: 'bridged.record', network, persistent: false, record: null }]);
  return {
    record,
    pending,
    plan: {
      description: `remove bridge ${record.bridge} and put its addressing back on ${record.uplink} (network ${network})`,
      steps: [
        { op: 'uplink.unbridge', network, uplink: record.uplink, bridge: record.bridge },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

export interface NetworkdCreateRequest extends PendingTiming {
  readonly name: string;
  readonly bridgeName: string;
  /** as read from the kernel now: kept in the record, to show and to compare */
  readonly addressing: UplinkAddressing;
}

/**
 * systemd-networkd: KVMNet's own files make the bridge (the helper renders them from the uplink's
 * .network), which survives a reboot. Its snapshot is what it wrote: a rollback removes those files
 * and the bridge, and the user's .network, never touched, takes the uplink again.
 */
export function planNetworkdCreate(request: NetworkdCreateRequest): BridgedPlan {
  const network = request.name;
  const uplink = request.addressing.uplink;
  const record: BridgedRecord = {
    format: 1, name: network, uplink, bridge: request.bridgeName, persistence: 'systemd-networkd', createdAt: request.now, addressing: request.addressing,
  };
  const pending = pendingOf(record, 'create', request,
    [{ op: 'networkd.unbridge', network, uplink, bridge: record.bridge }, { op: 'bridged.record', network, persistent: true, record: null }],
    []);
  return {
    record,
    pending,
    plan: {
      description: `bridge ${uplink} to the LAN as ${record.bridge} through systemd-networkd (network ${network})`,
      steps: [
        { op: 'bridged.record', network, persistent: true, record },
        { op: 'networkd.bridge', network, uplink, bridge: record.bridge },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

/** KVMNet's networkd files go with the bridge; the record goes once the uplink is verified. */
export function planNetworkdDelete(record: BridgedRecord, t: PendingTiming): BridgedPlan {
  const network = record.name;
  const pending = pendingOf(record, 'delete', t,
    [{ op: 'bridged.record', network, persistent: true, record }, { op: 'networkd.bridge', network, uplink: record.uplink, bridge: record.bridge }],
    [{ op: 'bridged.record', network, persistent: true, record: null }]);
  return {
    record,
    pending,
    plan: {
      description: `remove bridge ${record.bridge} and give ${record.uplink} back to its own systemd-networkd file (network ${network})`,
      steps: [
        { op: 'networkd.unbridge', network, uplink: record.uplink, bridge: record.bridge },
        { op: 'pending.arm', pending },
      ],
    },
  };
}
