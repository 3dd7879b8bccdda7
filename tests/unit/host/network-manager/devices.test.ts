import { describe, expect, it } from 'vitest';
import { managedDevice, parseDeviceList, readNetworkManager } from '../../../../main/host/network-manager/devices';
import { nmFixture } from '../../../fixtures/nm/fixture';

describe('parseDeviceList', () => {
  it('reads every device with its state and the id of its active profile', () => {
    expect(parseDeviceList(nmFixture('device-list.txt'))).toEqual([
      { device: 'eth0', type: 'ethernet', state: 'connected', connection: 'Wired: office \\ 2' },
      { device: 'lo', type: 'loopback', state: 'connected (externally)', connection: 'lo' },
      { device: 'extbr0', type: 'bridge', state: 'connected (externally)', connection: 'extbr0' },
      { device: 'kvpeer0', type: 'ethernet', state: 'unmanaged' },
      { device: 'kvpeer1', type: 'ethernet', state: 'unmanaged' },
    ]);
  });
});

describe('managedDevice', () => {
  const state = { running: true, devices: parseDeviceList(nmFixture('device-list-bridged.txt')) } as const;

  it('finds devices NetworkManager manages, including ports and bridges', () => {
    expect(managedDevice(state, 'eth0')?.connection).toBe('kvmnet-br0-port-eth0');
    expect(managedDevice(state, 'br0')).toMatchObject({ type: 'bridge', state: 'connected' });
  });

  it('does not count unmanaged or unknown devices, or any device when NM is not running', () => {
    expect(managedDevice(state, 'kvpeer0')).toBeUndefined();
    expect(managedDevice(state, 'wlan0')).toBeUndefined();
    expect(managedDevice({ running: false, reason: 'NetworkManager is not running' }, 'eth0')).toBeUndefined();
  });
});

describe('readNetworkManager', () => {
  it('turns a failing nmcli into a reason instead of throwing', async () => {
    const [notRunning] = (JSON.parse(nmFixture('failures.json')) as { exitCode: number; stderr: string; args: string[] }[])
      .filter((f) => f.stderr.includes('NetworkManager is not running'));
    const state = await readNetworkManager(() => Promise.reject(Object.assign(new Error('nmcli failed'), notRunning)));
    expect(state).toEqual({ running: false, reason: 'NetworkManager is not running' });
  });

  it('asks nmcli for the terse, escaped device list', async () => {
    const calls: unknown[] = [];
    const state = await readNetworkManager(async (file, args) => {
      calls.push([file, ...args]);
      return nmFixture('device-list.txt');
    });
    expect(calls).toEqual([['nmcli', '-t', '-e', 'yes', '-f', 'DEVICE,TYPE,STATE,CONNECTION', 'device']]);
    expect(state.running && state.devices).toHaveLength(5);
  });
});
