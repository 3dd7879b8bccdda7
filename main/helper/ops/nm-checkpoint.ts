import { nmCheckpointPath } from '../../core/paths';
import { createCheckpoint, destroyCheckpoint, rollbackCheckpoint } from '../../host/network-manager/checkpoint';
import { helperNmRun, liveCheckpoint, nmCheckpoints, readNmRecord } from '../nm-control';
import type { HostOp } from './op';

/**
 * NetworkManager checkpoints around a bridge change. NM itself rolls the devices back when the
 * timeout passes without a destroy, so the host gets its LAN back even if KVMNet, the helper and
 * the timer process are all gone. The checkpoint's D-Bus path is kept in /run/kvmnet/nm-checkpoint/
 * under the network's name, so later steps (and another process) name the network, never a path.
 */
export const nmCheckpointCreate: HostOp<'nm.checkpoint.create'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    const record = await readNmRecord(io, step.network);
    if (!record) throw new Error(`network ${step.network} has no NetworkManager bridge record, so KVMNet checkpoints none of its devices`);
    const stranger = step.devices.find((d) => d !== record.uplink && d !== record.bridge);
    if (stranger !== undefined) throw new Error(`${stranger} is neither the uplink ${record.uplink} nor the bridge ${record.bridge} of network ${step.network}`);
    if (await liveCheckpoint(io, step.network)) throw new Error(`a checkpoint for network ${step.network} is already open; confirm or roll back that change first`);
    // journaled before the D-Bus call: a kill right after it still leaves enough to find the checkpoint
    return [{ ensure: 'nm.checkpoint.rolledBack', network: step.network, before: [...(await nmCheckpoints(io))], devices: step.devices }];
  },

  async run(step, io) {
    const path = await createCheckpoint({ devices: step.devices, rollbackTimeoutSeconds: step.timeoutSeconds }, helperNmRun(io));
    await io.writeTextAtomic(nmCheckpointPath(step.network), `${path}\n`, 0o644);
    return `${path}, rolled back by NetworkManager after ${step.timeoutSeconds} s unless confirmed`;
  },
};

/** Restores what the checkpoint saw, now. Nothing to undo: what it undid is gone. */
export const nmCheckpointRollback: HostOp<'nm.checkpoint.rollback'> = {
  check: () => undefined,
  simulate: (_step, state) => state,
  inverse: async () => [],

  async run(step, io) {
    const path = await liveCheckpoint(io, step.network);
    if (!path) {
      await io.removeFile(nmCheckpointPath(step.network));
      return 'NetworkManager had already rolled back';
    }
    const results = await rollbackCheckpoint(path, helperNmRun(io));
    await io.removeFile(nmCheckpointPath(step.network));
    const failed = Object.entries(results).filter(([, r]) => r !== 'ok' && r !== 'no-device');
    if (failed.length > 0) throw new Error(`NetworkManager could not roll back ${failed.map(([d, r]) => `${d} (${r})`).join(', ')}`);
    return undefined;
  },
};

/** Commits the change: NetworkManager forgets the checkpoint. A checkpoint already gone means NM rolled back: that is a failure to commit. */
export const nmCheckpointDestroy: HostOp<'nm.checkpoint.destroy'> = {
  check: () => undefined,
  simulate: (_step, state) => state,
  inverse: async () => [],

  async run(step, io) {
    const path = await liveCheckpoint(io, step.network);
    if (!path) throw new Error(`NetworkManager no longer has the checkpoint of network ${step.network}: the change was rolled back already`);
    await destroyCheckpoint(path, helperNmRun(io));
    await io.removeFile(nmCheckpointPath(step.network));
    return undefined;
  },
};
