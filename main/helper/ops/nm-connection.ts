import type { BridgedRecord } from '../../core/bridge-to-lan/bridged-record';
import { activeProfileOn, isKeyfilePath, nmcli, readProfile, requireProfile } from '../nm-control';
import type { HostIo } from '../host-io';
import type { Undo } from '../undo';
import type { HostOp, StepOf } from './op';

/** a profile runs only where the record puts it: the bridge profile on its bridge, the others on the uplink */
function requireOwnDevice(record: BridgedRecord, uuid: string, device: string): void {
  const own = uuid === record.nm?.bridgeUuid ? record.bridge : record.uplink;
  if (device !== own) throw new Error(`profile ${uuid} of network ${record.name} runs on ${own}, not ${device}`);
}

/**
 * NetworkManager profiles of a bridge to the LAN. The record of the network (written by an earlier
 * step) says which UUIDs are KVMNet's: only those are added or deleted. The user's own uplink
 * profile may only be switched off and on again; it is never edited or deleted.
 */
export const nmConnectionAdd: HostOp<'nm.connection.add'> = {
  check(step) {
    const master = step.settings.find(([key]) => key === 'connection.master');
    if (step.type === 'bridge' && master) return { code: 'NOT_ALLOWED', field: 'settings', message: 'a bridge profile has no master' };
    return undefined;
  },
  simulate: (_step, state) => state,

  async inverse(step, io) {
    const record = await requireProfile(io, step.network, step.uuid, ['created']);
    const own = step.type === 'bridge' ? record.bridge : record.uplink;
    if (step.ifname !== own) throw new Error(`a KVMNet ${step.type} profile of network ${step.network} is for ${own}, not ${step.ifname}`);
    const master = step.settings.find(([key]) => key === 'connection.master')?.[1];
    if (master !== undefined && master !== record.nm?.bridgeUuid) throw new Error(`a KVMNet port may only join the network's own bridge profile ${record.nm?.bridgeUuid}`);
    if (await readProfile(io, step.uuid)) throw new Error(`NetworkManager already has a profile ${step.uuid}`);
    return [{ ensure: 'nm.connection.absent', uuid: step.uuid }];
  },

  async run(step, io) {
    await nmcli(io, ['connection', 'add', 'type', step.type, 'con-name', step.id, 'ifname', step.ifname, 'connection.uuid', step.uuid, ...step.settings.flat()]);
    return step.id;
  },
};

/**
 * Switching a profile on or off, KVMNet's or the user's own uplink profile, only on its own device;
 * either way the undo puts back the profile that runs on the device now (or none).
 */
async function restoreActiveProfile(step: StepOf<'nm.connection.up' | 'nm.connection.down'>, io: HostIo): Promise<Undo[]> {
  requireOwnDevice(await requireProfile(io, step.network, step.uuid, ['created', 'uplink']), step.uuid, step.device);
  return [{ ensure: 'nm.connection.active', device: step.device, uuid: (await activeProfileOn(io, step.device)) ?? null }];
}

export const nmConnectionUp: HostOp<'nm.connection.up'> = {
  check: () => undefined,
  simulate: (_step, state) => state,
  inverse: restoreActiveProfile,

  async run(step, io) {
    await nmcli(io, ['--wait', '45', 'connection', 'up', 'uuid', step.uuid, 'ifname', step.device]);
    return undefined;
  },
};

export const nmConnectionDown: HostOp<'nm.connection.down'> = {
  check: () => undefined,
  simulate: (_step, state) => state,
  inverse: restoreActiveProfile,

  async run(step, io) {
    if ((await activeProfileOn(io, step.device)) !== step.uuid) return 'it was not active';
    await nmcli(io, ['--wait', '30', 'connection', 'down', 'uuid', step.uuid]);
    return undefined;
  },
};

export const nmConnectionDelete: HostOp<'nm.connection.delete'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    await requireProfile(io, step.network, step.uuid, ['created']);
    const profile = await readProfile(io, step.uuid);
    if (!profile) return [];
    if (!profile.filename || !isKeyfilePath(profile.filename)) throw new Error(`profile ${step.uuid} is not stored as a keyfile (${profile.filename ?? 'no file'}), so its deletion could not be undone`);
    const content = await io.readText(profile.filename);
    if (content === undefined) throw new Error(`cannot read ${profile.filename} to keep it for undo`);
    return [{ ensure: 'nm.keyfile', uuid: step.uuid, path: profile.filename, content }];
  },

  async run(step, io) {
    if (!(await readProfile(io, step.uuid))) return 'it was already gone';
    await nmcli(io, ['connection', 'delete', 'uuid', step.uuid]);
    return undefined;
  },
};
