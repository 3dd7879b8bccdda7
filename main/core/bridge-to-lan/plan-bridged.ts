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

export interface MovedBridgeRequest extends PendingTiming {
  readonly name: string;
  readonly bridgeName: string;
  /** as read from the kernel now: kept in the record, to show and to compare */
  readonly addressing: UplinkAddressing;
}

/**
 * The two ways whose bridge KVMNet makes itself rather than through NetworkManager's profiles: one
 * step moves the uplink onto the bridge, its mirror moves it back, and they differ only in which
 * steps those are and whether the record outlives a reboot.
 */
interface BridgeMove {
  readonly persistence: 'runtime' | 'systemd-networkd';
  /** the record in /etc/kvmnet (kept across reboots) or in /run/kvmnet */
  readonly persistent: boolean;
  readonly bridge: 'uplink.bridge' | 'networkd.bridge';
  readonly unbridge: 'uplink.unbridge' | 'networkd.unbridge';
  createDescription(record: BridgedRecord): string;
  deleteDescription(record: BridgedRecord): string;
}

/** Without NetworkManager or networkd: the kernel alone, gone at the next reboot; the addressing goes back to the uplink on delete. */
const RUNTIME: BridgeMove = {
  persistence: 'runtime', persistent: false, bridge: 'uplink.bridge', unbridge: 'uplink.unbridge',
  createDescription: (r) => `bridge ${r.uplink} to the LAN as ${r.bridge}, until the next reboot (network ${r.name})`,
  deleteDescription: (r) => `remove bridge ${r.bridge} and put its addressing back on ${r.uplink} (network ${r.name})`,
};

/**
 * systemd-networkd: KVMNet's own files make the bridge (the helper renders them from the uplink's
 * .network), which survives a reboot. Its snapshot is what it wrote: a rollback removes those files
 * and the bridge, and the user's .network, never touched, takes the uplink again.
 */
const NETWORKD: BridgeMove = {
  persistence: 'systemd-networkd', persistent: true, bridge: 'networkd.bridge', unbridge: 'networkd.unbridge',
  createDescription: (r) => `bridge ${r.uplink} to the LAN as ${r.bridge} through systemd-networkd (network ${r.name})`,
  deleteDescription: (r) => `remove bridge ${r.bridge} and give ${r.uplink} back to its own systemd-networkd file (network ${r.name})`,
};

function planMoveCreate(way: BridgeMove, request: MovedBridgeRequest): BridgedPlan {
  const network = request.name;
  const uplink = request.addressing.uplink;
  const record: BridgedRecord = {
    format: 1, name: network, uplink, bridge: request.bridgeName, persistence: way.persistence, createdAt: request.now, addressing: request.addressing,
  };
  const move = { network, uplink, bridge: record.bridge };
  const pending = pendingOf(record, 'create', request,
    [{ op: way.unbridge, ...move }, { op: 'bridged.record', network, persistent: way.persistent, record: null }],
    []);
  return {
    record,
    pending,
    plan: {
      description: way.createDescription(record),
      steps: [
        { op: 'bridged.record', network, persistent: way.persistent, record },
        { op: way.bridge, ...move },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

/** The bridge goes now; the record goes once the uplink is verified and the change confirmed. */
function planMoveDelete(way: BridgeMove, record: BridgedRecord, t: PendingTiming): BridgedPlan {
  const network = record.name;
  const move = { network, uplink: record.uplink, bridge: record.bridge };
  const pending = pendingOf(record, 'delete', t,
    [{ op: 'bridged.record', network, persistent: way.persistent, record }, { op: way.bridge, ...move }],
    [{ op: 'bridged.record', network, persistent: way.persistent, record: null }]);
  return {
    record,
    pending,
    plan: {
      description: way.deleteDescription(record),
      steps: [
        { op: way.unbridge, ...move },
        { op: 'pending.arm', pending },
      ],
    },
  };
}

export const planRuntimeCreate = (request: MovedBridgeRequest): BridgedPlan => planMoveCreate(RUNTIME, request);
export const planRuntimeDelete = (record: BridgedRecord, t: PendingTiming): BridgedPlan => planMoveDelete(RUNTIME, record, t);
export const planNetworkdCreate = (request: MovedBridgeRequest): BridgedPlan => planMoveCreate(NETWORKD, request);
export const planNetworkdDelete = (record: BridgedRecord, t: PendingTiming): BridgedPlan => planMoveDelete(NETWORKD, record, t);
