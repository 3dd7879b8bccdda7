import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointSupport } from '../../../main/host/network-manager/checkpoint';
import { managedDevice, readNetworkManager } from '../../../main/host/network-manager/devices';
import { readUplink } from '../../../main/host/network-manager/uplink-profile';
import { startLab, type Lab } from '../../lab/lab';
import { labCommand, networkManagerLabUnavailableReason } from '../../lab/network-manager';
import { connectEth0, kernelLink, LAPTOP_MAC, pings, startNmLab, type NmLab } from './nm-lab-steps';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped NetworkManager lab tests: ${skip}`);

describe.skipIf(skip)('NetworkManager in a lab', () => {
  let nmLab: NmLab;
  beforeAll(async () => { nmLab = await startNmLab(); });
  afterAll(async () => { await nmLab?.lab.close(); });

  it('manages the laptop NIC, as the product reader sees it', async () => {
    console.log(`NetworkManager lab: D-Bus, udevd and NetworkManager managing eth0 in ${nmLab.nm.startupMs.toFixed(0)} ms`);
    const state = await readNetworkManager(nmLab.nm.run);
    expect(state.running).toBe(true);
    expect(managedDevice(state, 'eth0')).toEqual({ device: 'eth0', type: 'ethernet', state: 'disconnected' });
    expect(managedDevice(state, 'nosuch0')).toBeUndefined();
  });

  it('gets a DHCP lease from the router through NetworkManager, reaches the router and its DNS', async () => {
    const started = performance.now();
    await connectEth0(nmLab, 'Wired: office', ['ipv4.method', 'auto', 'ipv6.method', 'auto']);
    console.log(`NetworkManager lab: DHCP lease through NetworkManager in ${(performance.now() - started).toFixed(0)} ms (profile add + up)`);

    const link = await kernelLink(nmLab.lab, 'eth0');
    expect(link?.addresses).toHaveLength(1);
    const [address] = link!.addresses;
    expect(address).toMatch(/^203\.0\.113\.1\d\d\/24$/);
    expect(await nmLab.router.leases()).toContain(`${LAPTOP_MAC} ${address!.split('/')[0]}`);
    expect(await pings(nmLab.lab, nmLab.router.gateway)).toBe(true);
    const lookup = await nmLab.lab.run('busybox', ['nslookup', 'router.lan', nmLab.router.gateway]);
    expect(lookup.stdout).toMatch(/Address: 203\.0\.113\.1$/m);
    expect(managedDevice(await readNetworkManager(nmLab.nm.run), 'eth0')?.connection).toBe('Wired: office');
  });

  it('reads the uplink: its profile and what DHCP gave it', async () => {
    const uplink = await readUplink('eth0', nmLab.nm.run);
    const address = (await kernelLink(nmLab.lab, 'eth0'))!.addresses[0];
    expect(uplink.device).toBe('eth0');
    expect(uplink.mac.toLowerCase()).toBe(LAPTOP_MAC);
    expect(uplink.profile).toMatchObject({ id: 'Wired: office', type: '802-3-ethernet', interfaceName: 'eth0', controller: undefined });
    expect(uplink.profile.ipv4).toMatchObject({ method: 'auto', addresses: [], dns: [], routes: [] });
    expect(uplink.active.ipv4).toEqual({
      addresses: [address],
      gateway: nmLab.router.gateway,
      dns: [nmLab.router.gateway],
      routes: expect.arrayContaining([{ dst: '0.0.0.0/0', nextHop: nmLab.router.gateway, metric: 100 }]),
    });
  });

  it('refuses to read an uplink from a device without a profile, naming it', async () => {
    await expect(readUplink('lo0', nmLab.nm.run)).rejects.toThrow(/Device 'lo0' not found/);
  });

  it('finds the checkpoint API on the system bus', async () => {
    const support = await readCheckpointSupport(nmLab.nm.run);
    expect(support).toEqual({ available: true, version: expect.stringMatching(/^1\.\d+\.\d+/), checkpoints: [] });
  });
});

describe.skipIf(skip)('a lab without NetworkManager', () => {
  let lab: Lab;
  beforeAll(async () => { lab = await startLab(); });
  afterAll(async () => { await lab?.close(); });

  it('says why NetworkManager cannot be used instead of failing', async () => {
    const run = labCommand(lab);
    expect(await readNetworkManager(run)).toEqual({ running: false, reason: 'the system D-Bus is not running, so NetworkManager cannot be reached' });
    expect(await readCheckpointSupport(run)).toEqual({ available: false, reason: 'the system D-Bus is not running, so NetworkManager cannot be reached' });
  });
});
