import { z } from 'zod';
import { KvmnetError } from '../../core/kvmnet-error';
import { InterfaceName } from '../../core/names';
import { explainNmFailure, runOnHost, type NmCommandFailure, type RunCommand } from './nm-command';

/**
 * NetworkManager's checkpoints (D-Bus, since NM 1.4): snapshot the devices' profiles and activations,
 * and let NM itself restore them when the rollback timeout passes without a Destroy. That is what
 * keeps a bridge change safe: if the host loses its LAN, nobody has to be reachable to undo it.
 *
 * Called through busctl (from systemd, on every desktop NetworkManager runs on), whose --json output
 * needs no GVariant text parser:
 *   busctl --system --json=short call org.freedesktop.NetworkManager /org/freedesktop/NetworkManager \
 *     org.freedesktop.NetworkManager CheckpointCreate aouu <n> <device paths…> <timeout s> <flags>
 * and CheckpointRollback o <path> / CheckpointDestroy o <path> the same way. Only root (or a polkit
 * grant of org.freedesktop.NetworkManager.checkpoint-rollback) may call them.
 */
const NM_OBJECT = ['org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager'] as const;

/** NMCheckpointCreateFlags */
const DELETE_NEW_CONNECTIONS = 0x02;
const DISCONNECT_NEW_DEVICES = 0x04;

const CHECKPOINT_PATH = /^\/org\/freedesktop\/NetworkManager\/Checkpoint\/\d+$/;
/** a checkpoint's D-Bus path, as NetworkManager names it */
export const CheckpointPath = z.string().regex(CHECKPOINT_PATH);
const MAX_ROLLBACK_TIMEOUT_S = 3600;

const BusctlReply = z.object({ type: z.string(), data: z.unknown() });

function parseReply<T>(line: string, type: string, data: z.ZodType<T>): T {
  const reply = BusctlReply.parse(JSON.parse(line));
  if (reply.type !== type) throw new Error(`busctl answered a ${reply.type} where ${type} was expected`);
  return data.parse(reply.data);
}

async function busctl(run: RunCommand, args: readonly string[]): Promise<string[]> {
  try {
    return (await run('busctl', ['--system', '--json=short', ...args])).split('\n').filter(Boolean);
  } catch (e) {
    throw new KvmnetError('NM_CHECKPOINT', explainNmFailure('busctl', e as NmCommandFailure));
  }
}

const call = (run: RunCommand, method: string, signature: string, args: readonly string[]) =>
  busctl(run, ['call', ...NM_OBJECT, method, signature, ...args]);

export type CheckpointSupport =
  | { readonly available: true; readonly version: string; readonly checkpoints: readonly string[] }
  | { readonly available: false; readonly reason: string };

/** Whether checkpoints can be used, and the ones that exist (a new one may not overlap them). */
export async function readCheckpointSupport(run: RunCommand = runOnHost): Promise<CheckpointSupport> {
  try {
    const [version, checkpoints] = await busctl(run, ['get-property', ...NM_OBJECT, 'Version', 'Checkpoints']);
    return {
      available: true,
      version: parseReply(version ?? '', 's', z.string()),
      checkpoints: parseReply(checkpoints ?? '', 'ao', z.array(z.string())),
    };
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

export interface CheckpointRequest {
  /**
   * 'all' snapshots every device and, on rollback, also takes down devices that appeared after the
   * checkpoint (the new bridge). With a list, only those devices are restored: NM would otherwise
   * disconnect every active device outside the list (Wi-Fi, VPNs) on rollback.
   */
  readonly devices: 'all' | readonly string[];
  /** NM rolls back by itself when this passes without destroyCheckpoint */
  readonly rollbackTimeoutSeconds: number;
}

/** Creates the checkpoint; profiles added after it are deleted again on rollback. Returns its D-Bus path. */
export async function createCheckpoint(request: CheckpointRequest, run: RunCommand = runOnHost): Promise<string> {
  const timeout = request.rollbackTimeoutSeconds;
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > MAX_ROLLBACK_TIMEOUT_S) {
    throw new KvmnetError('BAD_REQUEST', `rollbackTimeoutSeconds: use a whole number of seconds from 1 to ${MAX_ROLLBACK_TIMEOUT_S}`, 'rollbackTimeoutSeconds');
  }
  const names = request.devices === 'all' ? [] : request.devices.map((name) => {
    const parsed = InterfaceName.safeParse(name);
    if (!parsed.success) throw new KvmnetError('BAD_REQUEST', `devices: ${parsed.error.issues[0]?.message}`, 'devices');
    return parsed.data;
  });
  const paths = await Promise.all(names.map((name) => deviceByInterface(name, run)));
  const flags = DELETE_NEW_CONNECTIONS | (request.devices === 'all' ? DISCONNECT_NEW_DEVICES : 0);
  const [reply] = await call(run, 'CheckpointCreate', 'aouu', [String(paths.length), ...paths, String(timeout), String(flags)]);
  return parseReply(reply ?? '', 'o', z.tuple([CheckpointPath]))[0];
}

/** the D-Bus path of the device NetworkManager knows by this interface name */
export async function deviceByInterface(name: string, run: RunCommand = runOnHost): Promise<string> {
  const [reply] = await call(run, 'GetDeviceByIpIface', 's', [name]);
  return parseReply(reply ?? '', 'o', z.tuple([z.string()]))[0];
}

/** the D-Bus paths of the devices a checkpoint covers */
export async function checkpointDevices(path: string, run: RunCommand = runOnHost): Promise<string[]> {
  const [reply] = await busctl(run, ['get-property', 'org.freedesktop.NetworkManager', checkpointPath(path), 'org.freedesktop.NetworkManager.Checkpoint', 'Devices']);
  return parseReply(reply ?? '', 'ao', z.array(z.string()));
}

function checkpointPath(path: string): string {
  if (!CHECKPOINT_PATH.test(path)) throw new KvmnetError('BAD_REQUEST', `checkpoint: ${path} is not a NetworkManager checkpoint path`, 'checkpoint');
  return path;
}

/** NMRollbackResult, per device */
const ROLLBACK_RESULTS = ['ok', 'no-device', 'device-unmanaged', 'failed'] as const;
export type RollbackResult = (typeof ROLLBACK_RESULTS)[number];

/** Restores the checkpoint now (which also ends it); tells, per device D-Bus path, how that went. */
export async function rollbackCheckpoint(path: string, run: RunCommand = runOnHost): Promise<Record<string, RollbackResult>> {
  const [reply] = await call(run, 'CheckpointRollback', 'o', [checkpointPath(path)]);
  const [results] = parseReply(reply ?? '', 'a{su}', z.tuple([z.record(z.string(), z.number().int())]));
  return Object.fromEntries(Object.entries(results).map(([device, code]) => [device, ROLLBACK_RESULTS[code] ?? 'failed']));
}

/** Ends the checkpoint without rolling back: the change is committed. */
export async function destroyCheckpoint(path: string, run: RunCommand = runOnHost): Promise<void> {
  await call(run, 'CheckpointDestroy', 'o', [checkpointPath(path)]);
}
