import { z } from 'zod';
import { networkdFileNames } from '../core/bridge-to-lan/networkd-files';
import { UplinkAddressing } from '../core/bridge-to-lan/uplink-addressing';
import { InterfaceName, NetworkName } from '../core/names';
import { nmCheckpointPath, pendingPath } from '../core/paths';
import { CheckpointPath, rollbackCheckpoint } from '../host/network-manager/checkpoint';
import { PendingChange } from '../core/bridge-to-lan/bridged-steps';
import { Uuid } from '../core/bridge-to-lan/bridged-record';
import { stagingPath, type HostIo } from './host-io';
import { activeProfileOn, helperNmRun, isKeyfilePath, nmcli, openedCheckpoint, readProfile } from './nm-control';
import { startPendingTimer } from './pending-timer-launch';
import { ensurePlacement } from './uplink-placement';
import { NetworkdFilesUndo } from './networkd-undo';
import { ensureNetworkdFiles, networkdPath } from './networkd-control';

/**
 * The restoring actions of the bridge-to-LAN steps. Like every undo they say how a thing must END
 * UP, and do nothing where it already holds.
 */

const MAX_KEYFILE_BYTES = 64 * 1024;
/** far more checkpoints than NetworkManager ever holds at once (each device may be in one only) */
const MAX_CHECKPOINTS = 256;

export const BridgedUndo = z.discriminatedUnion('ensure', [
  /**
   * NetworkManager has rolled the network's checkpoint back (now, if it still exists). `before` (the
   * checkpoints NM had when the step was journaled) and `devices` (the ones it checkpoints) find the
   * step's checkpoint even when the step died between NM's reply and the write of its path.
   */
  z.object({
    ensure: z.literal('nm.checkpoint.rolledBack'), network: NetworkName,
    before: z.array(CheckpointPath).max(MAX_CHECKPOINTS), devices: z.array(InterfaceName).min(1).max(8),
  }).strict(),
  /** no profile with this UUID (one KVMNet added) */
  z.object({ ensure: z.literal('nm.connection.absent'), uuid: Uuid }).strict(),
  /** this profile runs on the device (null: none does) */
  z.object({ ensure: z.literal('nm.connection.active'), device: InterfaceName, uuid: Uuid.nullable() }).strict(),
  /** a deleted KVMNet profile is back, from the keyfile it was deleted from */
  z.object({
    ensure: z.literal('nm.keyfile'), uuid: Uuid,
    path: z.string().max(300).refine(isKeyfilePath, { message: 'not a NetworkManager keyfile path' }),
    content: z.string().max(MAX_KEYFILE_BYTES),
  }).strict().refine((u) => u.content.includes(`uuid=${u.uuid}`), { message: 'the keyfile is not the profile with that UUID' }),
  /** the uplink's addressing is on the bridge (and the uplink is its port) or back on the uplink (and the bridge gone) */
  z.object({ ensure: z.literal('uplink.placement'), network: NetworkName, bridge: InterfaceName, on: z.enum(['bridge', 'uplink']), addressing: UplinkAddressing }).strict(),
  /** this change waits for confirmation again, with its timer (null: nothing waits) */
  z.object({ ensure: z.literal('pending.armed'), network: NetworkName, pending: PendingChange.nullable() }).strict(),
  NetworkdFilesUndo,
]);
export type BridgedUndo = z.infer<typeof BridgedUndo>;

export function describeBridgedUndo(undo: BridgedUndo): string {
  switch (undo.ensure) {
    case 'nm.checkpoint.rolledBack': return `roll NetworkManager back to the checkpoint taken for network ${undo.network}`;
    case 'nm.connection.absent': return `delete NetworkManager profile ${undo.uuid}`;
    case 'nm.connection.active': return undo.uuid === null ? `disconnect ${undo.device}` : `activate profile ${undo.uuid} on ${undo.device}`;
    case 'nm.keyfile': return `restore NetworkManager profile ${undo.uuid} from ${undo.path}`;
    case 'uplink.placement': return undo.on === 'uplink' ? `put the addressing of ${undo.addressing.uplink} back on it and remove ${undo.bridge}` : `put the addressing of ${undo.addressing.uplink} back on ${undo.bridge}`;
    case 'pending.armed': return undo.pending === null ? `forget the change of network ${undo.network} waiting for confirmation` : `wait for confirmation of network ${undo.network} again`;
    case 'networkd.files': return undo.files.length === 0 ? `remove KVMNet's networkd files for ${undo.bridge} and give ${undo.uplink} back to its own .network` : `put back KVMNet's networkd files for ${undo.bridge}`;
  }
}

/** the staged files a bridge-to-LAN write killed halfway may have left */
export function bridgedLeftoversOf(undo: BridgedUndo): string[] {
  switch (undo.ensure) {
    case 'nm.checkpoint.rolledBack': return [stagingPath(nmCheckpointPath(undo.network))];
    case 'nm.keyfile': return [stagingPath(undo.path)];
    case 'pending.armed': return [stagingPath(pendingPath(undo.network))];
    case 'networkd.files': return networkdFileNames(undo.bridge, undo.uplink).map((name) => stagingPath(networkdPath(name)));
    case 'nm.connection.absent':
    case 'nm.connection.active':
    case 'uplink.placement': return [];
  }
}

export async function ensureBridgedUndo(undo: BridgedUndo, io: HostIo): Promise<string | undefined> {
  switch (undo.ensure) {
    case 'nm.checkpoint.rolledBack': {
      const checkpoint = await openedCheckpoint(io, undo);
      if (checkpoint) {
        const results = await rollbackCheckpoint(checkpoint, helperNmRun(io));
        const failed = Object.entries(results).filter(([, r]) => r !== 'ok' && r !== 'no-device');
        await io.removeFile(nmCheckpointPath(undo.network));
        if (failed.length > 0) return `NetworkManager could not roll back ${failed.map(([d, r]) => `${d} (${r})`).join(', ')}`;
        return undefined;
      }
      await io.removeFile(nmCheckpointPath(undo.network));
      return undefined;
    }
    case 'nm.connection.absent':
      if (await readProfile(io, undo.uuid)) await nmcli(io, ['connection', 'delete', 'uuid', undo.uuid]);
      return undefined;
    case 'nm.connection.active': {
      const now = await activeProfileOn(io, undo.device);
      if ((now ?? null) === undo.uuid) return undefined;
      if (undo.uuid === null) await nmcli(io, ['device', 'disconnect', undo.device]);
      else await nmcli(io, ['--wait', '30', 'connection', 'up', 'uuid', undo.uuid, 'ifname', undo.device]);
      return undefined;
    }
    case 'nm.keyfile':
      if (await readProfile(io, undo.uuid)) return undefined;
      await io.writeTextAtomic(undo.path, undo.content, 0o600);
      await nmcli(io, ['connection', 'load', undo.path]);
      return undefined;
    case 'uplink.placement':
      await ensurePlacement(io, { network: undo.network, bridge: undo.bridge, on: undo.on, addressing: undo.addressing });
      return undefined;
    case 'pending.armed': {
      const path = pendingPath(undo.network);
      if (undo.pending === null) {
        await io.removeFile(path);
        return undefined;
      }
      await io.writeTextAtomic(path, `${JSON.stringify(undo.pending, null, 2)}\n`, 0o644);
      // a timer started past the deadline would roll back at once and, failing, be started again
      // by this very undo without end: an overdue change is left to rollBackOverdue at the next helper start
      if (Date.parse(undo.pending.deadline) > Date.now()) startPendingTimer(undo.network);
      return undefined;
    }
    case 'networkd.files':
      return (await ensureNetworkdFiles(io, undo)).left;
  }
}
