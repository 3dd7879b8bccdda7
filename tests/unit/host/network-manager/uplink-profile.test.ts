import { describe, expect, it } from 'vitest';
import { parseConnectionShow, readUplink } from '../../../../main/host/network-manager/uplink-profile';
import type { RunCommand } from '../../../../main/host/network-manager/nm-command';
import { nmFixture } from '../../../fixtures/nm/fixture';

describe('parseConnectionShow', () => {
  it('reads a DHCP profile with what the lease gave it', () => {
    const { profile, active } = parseConnectionShow(nmFixture('connection-show-dhcp-active.txt'));
    expect(profile).toEqual({
      uuid: 'a83b83ce-2006-462c-9506-aa40e86417e5',
      id: 'Wired: office \\ 2',
      type: '802-3-ethernet',
      interfaceName: 'eth0',
      autoconnect: true,
      autoconnectPriority: 5,
      controller: undefined,
      ethernet: { macAddress: undefined, clonedMacAddress: undefined, mtu: undefined },
      ipv4: {
        method: 'auto', addresses: [], gateway: undefined, dns: [], dnsSearch: [], routes: [], routeMetric: -1,
        neverDefault: false, ignoreAutoDns: false, ignoreAutoRoutes: false, mayFail: true, dhcpClientId: undefined, dhcpHostname: undefined,
      },
      ipv6: {
        method: 'auto', addresses: [], gateway: undefined, dns: [], dnsSearch: [], routes: [], routeMetric: -1,
        neverDefault: false, ignoreAutoDns: false, ignoreAutoRoutes: false, mayFail: true, addrGenMode: 'default',
      },
    });
    expect(active.ipv4).toEqual({
      addresses: ['203.0.113.178/24'],
      gateway: '203.0.113.1',
      dns: ['203.0.113.1'],
      routes: [{ dst: '203.0.113.0/24', nextHop: '0.0.0.0', metric: 100 }, { dst: '0.0.0.0/0', nextHop: '203.0.113.1', metric: 100 }],
    });
    expect(active.ipv6.addresses).toEqual([expect.stringMatching(/^fe80::/)]);
  });

  it('reads static addressing in both families, routes, cloned MAC, MTU and DHCP identity', () => {
    const { profile, active } = parseConnectionShow(nmFixture('connection-show-static-active.txt'));
    expect(profile.ethernet).toEqual({ macAddress: undefined, clonedMacAddress: '02:00:00:00:AA:01', mtu: 1400 });
    expect(profile.ipv4).toMatchObject({
      method: 'manual',
      addresses: ['203.0.113.50/24', '203.0.113.51/24'],
      gateway: '203.0.113.1',
      dns: ['203.0.113.1', '198.51.100.53'],
      dnsSearch: ['lan.example'],
      routes: ['198.51.100.0/24 203.0.113.254 50', '192.0.2.128/25 203.0.113.253'],
      dhcpClientId: 'duid',
    });
    expect(profile.ipv6).toMatchObject({
      method: 'manual', addresses: ['2001:db8:1::50/64'], gateway: '2001:db8:1::1', dns: ['2001:db8:1::53'],
      routes: ['2001:db8:99::/48 2001:db8:1::fe 10'], addrGenMode: 'eui64',
    });
    expect(active.ipv6.routes).toContainEqual({ dst: '2001:db8:99::/48', nextHop: '2001:db8:1::fe', metric: 10 });
  });

  it('reads the controller of a bridge port', () => {
    const { profile, active } = parseConnectionShow(nmFixture('connection-show-port-active.txt'));
    expect(profile.controller).toBe('38e185f5-1d95-4ef0-ac55-d5b08e184d8a');
    expect(profile.autoconnectPriority).toBe(6);
    expect(active.ipv4).toEqual({ addresses: [], gateway: undefined, dns: [], routes: [] });
  });

  it('reads an inactive profile without runtime sections, and a Wi-Fi profile without Ethernet settings', () => {
    expect(parseConnectionShow(nmFixture('connection-show-dhcp-inactive.txt')).active.ipv4.addresses).toEqual([]);
    const wifi = parseConnectionShow(nmFixture('connection-show-wifi-inactive.txt')).profile;
    expect(wifi).toMatchObject({ id: 'cafe', type: '802-11-wireless', interfaceName: undefined, ethernet: { mtu: undefined } });
  });
});

/** serves captured nmcli output for the two reads readUplink makes */
const capturedNmcli = (deviceShow: string): RunCommand => async (file, args) => {
  expect(file).toBe('nmcli');
  if (args.includes('device')) return nmFixture(deviceShow);
  expect(args.slice(-3)).toEqual(['show', 'uuid', '454af320-df97-4422-8f31-c9644c03041d']);
  return nmFixture('connection-show-static-active.txt');
};

describe('readUplink', () => {
  it('joins the device’s current MAC with its active profile', async () => {
    const uplink = await readUplink('eth0', capturedNmcli('device-show-eth0-static.txt'));
    expect(uplink.mac).toBe('02:00:00:00:AA:01');
    expect(uplink.profile.id).toBe('office static');
    expect(uplink.active.ipv4.addresses).toEqual(['203.0.113.51/24', '203.0.113.50/24']);
  });

  it('refuses a device with no active profile, naming it and its state', async () => {
    await expect(readUplink('kvpeer0', capturedNmcli('device-show-kvpeer0-unmanaged.txt')))
      .rejects.toThrow('uplink: NetworkManager runs no profile on kvpeer0 (10 (unmanaged)); connect it first');
  });
});
