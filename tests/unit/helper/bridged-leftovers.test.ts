import { describe, expect, it, vi } from 'vitest';
import { nmCheckpointPath, pendingPath } from '../../../main/core/paths';
import { ensureHostUndo } from '../../../main/helper/ensure-host';
import { stagingPath } from '../../../main/helper/host-io';
import { FakeHostIo } from './fake-host-io';
import { FakeNmBus } from './fake-nm-bus';

vi.mock('../../../main/helper/pending-timer-launch', () => ({ startPendingTimer: vi.fn() }));

const UUID = '0b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11';
const KEYFILE = '/etc/NetworkManager/system-connections/kvmnet-br0.nmconnection';

describe('ensureHostUndo after a crash in the middle of a bridge-to-LAN write', () => {
  it('removes the staging files the writes of pending changes, checkpoints and keyfiles may have left', async () => {
    const bus = new FakeNmBus(['eth1'], new Map());
    const io = new FakeHostIo((call) => (call.args.includes('connection') && call.args.includes('show') ? { stdout: `${UUID}:kvmnet-br0:${KEYFILE}:\n` } : bus.answer(call)));
    for (const path of [pendingPath('lan'), nmCheckpointPath('lan'), KEYFILE]) io.files.set(stagingPath(path), 'half written');
    await ensureHostUndo({ ensure: 'pending.armed', network: 'lan', pending: null }, io);
    await ensureHostUndo({ ensure: 'nm.checkpoint.rolledBack', network: 'lan', before: [], devices: ['eth1'] }, io);
    await ensureHostUndo({ ensure: 'nm.keyfile', uuid: UUID, path: KEYFILE, content: `[connection]\nuuid=${UUID}\n` }, io);
    expect([...io.files.keys()].filter((p) => p.endsWith('.kvmnet-tmp'))).toEqual([]);
  });
});
