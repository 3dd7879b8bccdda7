import { describe, expect, it } from 'vitest';
import { createCheckpoint, destroyCheckpoint, readCheckpointSupport, rollbackCheckpoint } from '../../../../main/host/network-manager/checkpoint';
import type { RunCommand } from '../../../../main/host/network-manager/nm-command';
import { nmFixture } from '../../../fixtures/nm/fixture';

const NM = ['org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager'];

/** answers each busctl method with its captured reply and records the argv */
function capturedBusctl(): { run: RunCommand; calls: string[][] } {
  const calls: string[][] = [];
  const replies: Record<string, string> = {
    GetDeviceByIpIface: 'busctl-get-device.json',
    CheckpointCreate: 'busctl-checkpoint-create.json',
    CheckpointRollback: 'busctl-checkpoint-rollback.json',
    CheckpointDestroy: 'busctl-checkpoint-destroy.json',
    Version: 'busctl-get-property.json',
  };
  const run: RunCommand = async (file, args) => {
    calls.push([file, ...args]);
    const method = args[6]!;
    return nmFixture(replies[method]!);
  };
  return { run, calls };
}

describe('createCheckpoint', () => {
  it('checkpoints every device and takes down new ones on rollback when asked for all', async () => {
    const { run, calls } = capturedBusctl();
    expect(await createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 30 }, run)).toBe('/org/freedesktop/NetworkManager/Checkpoint/1');
    // flags 6 = DELETE_NEW_CONNECTIONS | DISCONNECT_NEW_DEVICES
    expect(calls).toEqual([['busctl', '--system', '--json=short', 'call', ...NM, 'CheckpointCreate', 'aouu', '0', '30', '6']]);
  });

  it('resolves named devices to their D-Bus paths and leaves other devices alone', async () => {
    const { run, calls } = capturedBusctl();
    await createCheckpoint({ devices: ['eth0'], rollbackTimeoutSeconds: 5 }, run);
    expect(calls).toEqual([
      ['busctl', '--system', '--json=short', 'call', ...NM, 'GetDeviceByIpIface', 's', 'eth0'],
      ['busctl', '--system', '--json=short', 'call', ...NM, 'CheckpointCreate', 'aouu', '1', '/org/freedesktop/NetworkManager/Devices/2', '5', '2'],
    ]);
  });

  it('refuses bad input, naming the field, before running anything', async () => {
    const { run, calls } = capturedBusctl();
    await expect(createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 0 }, run)).rejects.toMatchObject({ field: 'rollbackTimeoutSeconds' });
    await expect(createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 2.5 }, run)).rejects.toMatchObject({ field: 'rollbackTimeoutSeconds' });
    await expect(createCheckpoint({ devices: ['--help'], rollbackTimeoutSeconds: 5 }, run)).rejects.toMatchObject({ field: 'devices' });
    expect(calls).toEqual([]);
  });

  it('reports NetworkManager’s refusal in plain words', async () => {
    const [conflict] = (JSON.parse(nmFixture('failures.json')) as { stderr: string; exitCode: number }[]).filter((f) => f.stderr.includes('already included'));
    const run: RunCommand = () => Promise.reject(Object.assign(new Error('busctl failed'), conflict));
    await expect(createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 5 }, run)).rejects.toThrow(
      "NetworkManager refused: device 'lo' is already included in checkpoint /org/freedesktop/NetworkManager/Checkpoint/1",
    );
  });
});

describe('rollbackCheckpoint and destroyCheckpoint', () => {
  it('rolls back and names each device’s result', async () => {
    const { run, calls } = capturedBusctl();
    const results = await rollbackCheckpoint('/org/freedesktop/NetworkManager/Checkpoint/1', run);
    expect(Object.keys(results)).toHaveLength(5);
    expect(new Set(Object.values(results))).toEqual(new Set(['ok']));
    expect(calls[0]?.slice(-3)).toEqual(['CheckpointRollback', 'o', '/org/freedesktop/NetworkManager/Checkpoint/1']);
  });

  it('destroys (commits) a checkpoint', async () => {
    const { run, calls } = capturedBusctl();
    await destroyCheckpoint('/org/freedesktop/NetworkManager/Checkpoint/1', run);
    expect(calls[0]?.slice(-3)).toEqual(['CheckpointDestroy', 'o', '/org/freedesktop/NetworkManager/Checkpoint/1']);
  });

  it('accepts only checkpoint paths', async () => {
    const { run, calls } = capturedBusctl();
    await expect(rollbackCheckpoint('/org/freedesktop/NetworkManager/Devices/2', run)).rejects.toMatchObject({ field: 'checkpoint' });
    await expect(destroyCheckpoint('-h', run)).rejects.toMatchObject({ field: 'checkpoint' });
    expect(calls).toEqual([]);
  });
});

describe('readCheckpointSupport', () => {
  it('reads the NetworkManager version and the checkpoints in one busctl run', async () => {
    const { run, calls } = capturedBusctl();
    expect(await readCheckpointSupport(run)).toEqual({ available: true, version: '1.42.4', checkpoints: ['/org/freedesktop/NetworkManager/Checkpoint/1'] });
    expect(calls).toEqual([['busctl', '--system', '--json=short', 'get-property', ...NM, 'Version', 'Checkpoints']]);
  });
});
