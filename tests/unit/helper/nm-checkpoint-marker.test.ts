import { describe, expect, it } from 'vitest';
import { bridgedRecordPath, nmCheckpointPath } from '../../../main/core/paths';
import { ensureHostUndo } from '../../../main/helper/ensure-host';
import { HostUndo } from '../../../main/helper/host-undo';
import { nmCheckpointCreate } from '../../../main/helper/ops/nm-checkpoint';
import { FakeHostIo } from './fake-host-io';
import { FakeNmBus } from './fake-nm-bus';
import { NM_RECORD } from './nm-record-fixture';

const DEVICES = ['lo', 'eth0', 'eth1', 'br0'];

/** the undo the checkpoint step journals before it runs */
async function journaledUndo(io: FakeHostIo, devices: string[]): Promise<HostUndo> {
  const [undo] = await nmCheckpointCreate.inverse({ op: 'nm.checkpoint.create', network: 'lan', devices, timeoutSeconds: 60 }, io);
  return HostUndo.parse(undo);
}

/** NetworkManager with checkpoint 3 already open on eth0 (someone else's), before KVMNet's step */
function host(): { io: FakeHostIo; bus: FakeNmBus } {
  const bus = new FakeNmBus(DEVICES, new Map([[3, ['eth0']]]));
  const io = new FakeHostIo(bus.answer);
  io.files.set(bridgedRecordPath('lan', true), JSON.stringify(NM_RECORD));
  return { io, bus };
}

describe('a checkpoint whose step was killed before it wrote the checkpoint\'s path', () => {
  it('is journaled with the checkpoints NetworkManager has before the call and the devices it covers', async () => {
    const { io } = host();
    await expect(nmCheckpointCreate.inverse({ op: 'nm.checkpoint.create', network: 'lan', devices: ['eth1'], timeoutSeconds: 60 }, io))
      .resolves.toEqual([{ ensure: 'nm.checkpoint.rolledBack', network: 'lan', before: [FakeNmBus.checkpoint(3)], devices: ['eth1'] }]);
  });

  it('is found by the undo: new since the marker and covering the step\'s devices; the others are left alone', async () => {
    const { io, bus } = host();
    const undo = await journaledUndo(io, ['eth1', 'br0']);
    // NetworkManager made checkpoint 5; another program made 4 on lo meanwhile; the kill came before the path file
    bus.checkpoints.set(4, ['lo']).set(5, ['eth1', 'br0']);
    expect(io.files.has(nmCheckpointPath('lan'))).toBe(false);
    await expect(ensureHostUndo(undo, io)).resolves.toBeUndefined();
    expect(bus.rolledBack).toEqual([FakeNmBus.checkpoint(5)]);
    expect([...bus.checkpoints.keys()]).toEqual([3, 4]);
  });

  it('finds nothing to roll back when NetworkManager made none, or only checkpoints of other devices', async () => {
    const { io, bus } = host();
    const undo = await journaledUndo(io, ['eth1']);
    await expect(ensureHostUndo(undo, io)).resolves.toBeUndefined();
    bus.checkpoints.set(4, ['lo']);
    await expect(ensureHostUndo(undo, io)).resolves.toBeUndefined();
    expect(bus.rolledBack).toEqual([]);
  });

  it('still trusts the path file when the step wrote it', async () => {
    const { io, bus } = host();
    const undo = await journaledUndo(io, ['eth1']);
    bus.checkpoints.set(6, ['eth1']);
    io.files.set(nmCheckpointPath('lan'), `${FakeNmBus.checkpoint(6)}\n`);
    await ensureHostUndo(undo, io);
    expect(bus.rolledBack).toEqual([FakeNmBus.checkpoint(6)]);
    expect(io.files.has(nmCheckpointPath('lan'))).toBe(false);
  });
});
