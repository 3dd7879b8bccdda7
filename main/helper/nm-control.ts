import { z } from 'zod';
import { createdProfiles, BridgedRecord } from '../core/bridge-to-lan/bridged-record';
import { bridgedRecordPath, nmCheckpointPath, NM_KEYFILE_DIRS } from '../core/paths';
import type { NmCommandFailure, RunCommand } from '../host/network-manager/nm-command';
import { checkpointDevices, deviceByInterface, readCheckpointSupport } from '../host/network-manager/checkpoint';
import { parseTerseProperties, splitTerseFields } from '../host/network-manager/terse-output';
import type { HostIo } from './host-io';

/**
 * NetworkManager as the helper drives it: nmcli and busctl by absolute path with argument arrays,
 * through HostIo like every other tool, and the ownership rules of bridges to the LAN: KVMNet may
 * add and delete only the profiles its record lists, and may only switch the user's own uplink
 * profile on and off.
 */

/** the product's NetworkManager readers, run as root by the helper */
export function helperNmRun(io: HostIo): RunCommand {
  return async (file, args) => {
    if (file !== 'nmcli' && file !== 'busctl') throw new Error(`the helper does not run ${file} for NetworkManager`);
    const r = await io.runTool(file, args);
    if (r.exitCode !== 0) {
      throw Object.assign(new Error(`${file} failed (${r.exitCode}): ${r.stderr.trim()}`), { exitCode: r.exitCode, stderr: r.stderr } satisfies NmCommandFailure);
    }
    return r.stdout;
  };
}

/** nmcli, failing with what NetworkManager said */
export async function nmcli(io: HostIo, args: readonly string[]): Promise<string> {
  const r = await io.runTool('nmcli', args);
  if (r.exitCode !== 0) throw new Error(`nmcli ${args.slice(0, 3).join(' ')} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  return r.stdout;
}

/** the record of a NetworkManager bridge; it lives under /etc only */
export async function readNmRecord(io: HostIo, network: string): Promise<BridgedRecord | undefined> {
  const text = await io.readText(bridgedRecordPath(network, true));
  if (text === undefined) return undefined;
  return BridgedRecord.parse(JSON.parse(text));
}

export type ProfileRole = 'created' | 'uplink';

/** Throws unless the record of `network` lists `uuid` in one of `roles`. */
export async function requireProfile(io: HostIo, network: string, uuid: string, roles: readonly ProfileRole[]): Promise<BridgedRecord> {
  const record = await readNmRecord(io, network);
  if (!record?.nm) throw new Error(`network ${network} has no NetworkManager bridge record, so KVMNet owns no profile for it`);
  const created = createdProfiles(record).includes(uuid);
  const uplink = record.nm.uplinkProfile.uuid === uuid;
  if ((created && roles.includes('created')) || (uplink && roles.includes('uplink'))) return record;
  if (uplink) throw new Error(`profile ${uuid} is the user's own profile "${record.nm.uplinkProfile.id}": KVMNet only deactivates and reactivates it`);
  throw new Error(`profile ${uuid} is not one KVMNet created for network ${network}; it is left alone`);
}

export interface ProfileFacts {
  uuid: string;
  /** connection.id */
  name: string;
  /** the keyfile NetworkManager keeps it in */
  filename?: string;
  /** the device it runs on, when active */
  device?: string;
}

/** undefined when NetworkManager has no profile with this UUID (the list form is the one that names the keyfile) */
export async function readProfile(io: HostIo, uuid: string): Promise<ProfileFacts | undefined> {
  const listed = await nmcli(io, ['-t', '-e', 'yes', '-f', 'UUID,NAME,FILENAME,DEVICE', 'connection', 'show']);
  for (const line of listed.split('\n').filter(Boolean)) {
    const [found, name = '', filename, device] = splitTerseFields(line);
    if (found === uuid) return { uuid, name, ...(filename ? { filename } : {}), ...(device ? { device } : {}) };
  }
  return undefined;
}

/** the UUID of the profile active on the device, if any */
export async function activeProfileOn(io: HostIo, device: string): Promise<string | undefined> {
  const r = await io.runTool('nmcli', ['-t', '-e', 'yes', '-f', 'GENERAL.CON-UUID', 'device', 'show', device]);
  if (r.exitCode !== 0) return undefined;
  return parseTerseProperties(r.stdout).one('GENERAL.CON-UUID');
}

export const isKeyfilePath = (path: string): boolean =>
  NM_KEYFILE_DIRS.some((dir) => path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes('/') && path.endsWith('.nmconnection'));

const CheckpointFile = z.string().regex(/^\/org\/freedesktop\/NetworkManager\/Checkpoint\/\d+\n?$/);

/** the checkpoints NetworkManager holds now */
export async function nmCheckpoints(io: HostIo): Promise<readonly string[]> {
  const support = await readCheckpointSupport(helperNmRun(io));
  if (!support.available) throw new Error(`NetworkManager's checkpoints cannot be reached: ${support.reason}`);
  return support.checkpoints;
}

/** the D-Bus path of the network's checkpoint, if KVMNet made one and NetworkManager still has it */
export async function liveCheckpoint(io: HostIo, network: string): Promise<string | undefined> {
  const text = await io.readText(nmCheckpointPath(network));
  if (text === undefined) return undefined;
  const path = CheckpointFile.parse(text).trim();
  return (await nmCheckpoints(io)).includes(path) ? path : undefined;
}

/** what the journal knows of a checkpoint step before it runs: the checkpoints that were there already, and the devices it covers */
export interface CheckpointMarker {
  readonly network: string;
  readonly before: readonly string[];
  readonly devices: readonly string[];
}

/**
 * The checkpoint a step opened, if NetworkManager still has it: the one its path file names or, when
 * the step was killed between NM's reply and that write (no file), the one that is new since the
 * marker and covers the step's devices. NM holds each device in one checkpoint at most, so at most
 * one new checkpoint covers them.
 */
export async function openedCheckpoint(io: HostIo, marker: CheckpointMarker): Promise<string | undefined> {
  if ((await io.readText(nmCheckpointPath(marker.network))) !== undefined) return liveCheckpoint(io, marker.network);
  const fresh = (await nmCheckpoints(io)).filter((path) => !marker.before.includes(path));
  if (fresh.length === 0) return undefined;
  const run = helperNmRun(io);
  // a device gone since (the bridge a rollback removed) is in no checkpoint any more
  const devices = (await Promise.all(marker.devices.map((name) => deviceByInterface(name, run).catch(() => undefined)))).filter((d) => d !== undefined);
  if (devices.length === 0) return undefined;
  for (const path of fresh) {
    const covered = await checkpointDevices(path, run);
    if (devices.every((d) => covered.includes(d))) return path;
  }
  return undefined;
}

/**
 * A record may only claim as KVMNet's the profiles KVMNet is about to add (no such UUID yet) or
 * already added (named kvmnet-…, which nmcli steps never rename): otherwise a forged record could
 * make the user's own profile deletable.
 */
export async function requireClaimableProfiles(io: HostIo, record: BridgedRecord): Promise<void> {
  if (!record.nm) return;
  const { bridgeUuid, portUuid, uplinkProfile } = record.nm;
  if (bridgeUuid === portUuid || [bridgeUuid, portUuid].includes(uplinkProfile.uuid)) {
    throw new Error('the bridge, port and uplink profiles of a record must be three different profiles');
  }
  for (const uuid of [bridgeUuid, portUuid]) {
    const profile = await readProfile(io, uuid);
    if (profile && !profile.name.startsWith('kvmnet-')) throw new Error(`profile ${uuid} ("${profile.name}") exists and is not KVMNet's; a record cannot claim it`);
  }
  await requireUplinkProfile(io, record.uplink, uplinkProfile.uuid);
}

/**
 * The profile a record names as the user's own may only be the uplink's: otherwise a forged record
 * could switch any profile of the host on and off. It is the uplink's when it runs on it, or is
 * bound to it by interface name or (with no name, as when the bridge holds the NIC) by MAC.
 */
async function requireUplinkProfile(io: HostIo, uplink: string, uuid: string): Promise<void> {
  const profile = await readProfile(io, uuid);
  if (!profile) throw new Error(`the uplink profile ${uuid} does not exist in NetworkManager`);
  if (profile.device === uplink) return;
  const settings = parseTerseProperties(await nmcli(io, ['-t', '-e', 'yes', '-f', 'connection.interface-name,802-3-ethernet.mac-address', 'connection', 'show', 'uuid', uuid]));
  const ifname = settings.one('connection.interface-name');
  if (ifname === uplink) return;
  const mac = settings.one('802-3-ethernet.mac-address')?.toLowerCase();
  const uplinkMac = (await io.readText(`/sys/class/net/${uplink}/address`))?.trim().toLowerCase();
  if (!ifname && mac && mac === uplinkMac) return;
  throw new Error(`profile ${uuid} ("${profile.name}") is not a profile of ${uplink}; a record cannot name it as the uplink's`);
}
