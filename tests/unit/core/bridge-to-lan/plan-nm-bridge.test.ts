import { describe, expect, it } from 'vitest';
import { planNmBridge, type NmBridgeRequest } from '../../../../main/core/bridge-to-lan/plan-nm-bridge';
import { NmUplink } from '../../../../main/core/bridge-to-lan/nm-profile';
import { parseConnectionShow } from '../../../../main/host/network-manager/uplink-profile';
import { nmFixture } from '../../../fixtures/nm/fixture';

const BRIDGE_UUID = '0b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11';
const PORT_UUID = '5e0c7a9d-2f4b-4c8e-8a61-9d3b7f2e1a22';

/** an uplink as readUplink builds it, from captured nmcli output */
const uplinkFrom = (fixture: string, mac: string): NmUplink => NmUplink.parse({ device: 'eth0', mac, ...parseConnectionShow(nmFixture(fixture)) });
const dhcp = uplinkFrom('connection-show-dhcp-active.txt', '02:00:00:00:00:10');
const staticUplink = uplinkFrom('connection-show-static-active.txt', '02:00:00:00:AA:01');
const request = (uplink: NmUplink, extra: Partial<NmBridgeRequest> = {}): NmBridgeRequest => ({ uplink, bridgeName: 'br0', bridgeUuid: BRIDGE_UUID, portUuid: PORT_UUID, ...extra });

/** the value that follows `key` in an argv */
const valueOf = (args: readonly string[], key: string): string | undefined => {
  const i = args.indexOf(key);
  return i < 0 ? undefined : args[i + 1];
};

describe('planNmBridge for a DHCP uplink', () => {
  const plan = planNmBridge(request(dhcp));

  it('creates the bridge with the NIC’s MAC, STP off, no forward delay, and DHCP in both families', () => {
    expect(plan.apply[0]?.args).toEqual([
      'connection', 'add', 'type', 'bridge', 'con-name', 'kvmnet-br0', 'ifname', 'br0',
      'connection.uuid', BRIDGE_UUID, 'connection.autoconnect', 'yes', 'connection.autoconnect-slaves', 'yes',
      'bridge.stp', 'no', 'bridge.forward-delay', '0', '802-3-ethernet.cloned-mac-address', '02:00:00:00:00:10',
      'ipv4.method', 'auto', 'ipv6.method', 'auto', 'ipv6.addr-gen-mode', 'default',
    ]);
  });

  it('adds a port profile for the NIC that outranks the uplink profile at autoconnect, then activates the bridge', () => {
    expect(plan.apply[1]?.args).toEqual([
      'connection', 'add', 'type', 'ethernet', 'con-name', 'kvmnet-br0-port-eth0', 'ifname', 'eth0',
      'connection.uuid', PORT_UUID, 'connection.master', BRIDGE_UUID, 'connection.slave-type', 'bridge',
      'connection.autoconnect', 'yes', 'connection.autoconnect-priority', '6',
    ]);
    expect(plan.apply[2]?.args).toEqual(['connection', 'up', 'uuid', BRIDGE_UUID]);
  });

  it('keeps the uplink profile untouched and gives the NIC back to it on undo, then deletes what it added', () => {
    expect(plan.replaces).toEqual({ uuid: 'a83b83ce-2006-462c-9506-aa40e86417e5', id: 'Wired: office \\ 2' });
    expect(plan.apply.flatMap((op) => op.args)).not.toContain('a83b83ce-2006-462c-9506-aa40e86417e5');
    expect(plan.undo.map((op) => op.args)).toEqual([
      ['connection', 'up', 'uuid', 'a83b83ce-2006-462c-9506-aa40e86417e5'],
      ['connection', 'delete', 'uuid', PORT_UUID],
      ['connection', 'delete', 'uuid', BRIDGE_UUID],
    ]);
  });

  it('says what each operation is for', () => {
    expect(plan.apply.map((op) => op.purpose)).toEqual([
      'create bridge br0 with the addressing of "Wired: office \\ 2" and the MAC of eth0',
      'make eth0 a port of br0',
      'activate br0; eth0 leaves "Wired: office \\ 2" and joins it',
    ]);
  });
});

describe('planNmBridge for a static uplink', () => {
  const [bridge, port] = planNmBridge(request(staticUplink)).apply.map((op) => op.args);

  it('carries addresses, gateway, DNS, search domains and routes of both families, as nmcli printed them', () => {
    expect(valueOf(bridge!, 'ipv4.method')).toBe('manual');
    expect(valueOf(bridge!, 'ipv4.addresses')).toBe('203.0.113.50/24, 203.0.113.51/24');
    expect(valueOf(bridge!, 'ipv4.gateway')).toBe('203.0.113.1');
    expect(valueOf(bridge!, 'ipv4.dns')).toBe('203.0.113.1,198.51.100.53');
    expect(valueOf(bridge!, 'ipv4.dns-search')).toBe('lan.example');
    expect(valueOf(bridge!, 'ipv4.routes')).toBe('198.51.100.0/24 203.0.113.254 50, 192.0.2.128/25 203.0.113.253');
    expect(valueOf(bridge!, 'ipv6.addresses')).toBe('2001:db8:1::50/64');
    expect(valueOf(bridge!, 'ipv6.gateway')).toBe('2001:db8:1::1');
    expect(valueOf(bridge!, 'ipv6.dns')).toBe('2001:db8:1::53');
    expect(valueOf(bridge!, 'ipv6.routes')).toBe('2001:db8:99::/48 2001:db8:1::fe 10');
  });

  it('keeps what the LAN identifies the host by: the cloned MAC, the DHCP client id, EUI-64 addresses', () => {
    expect(valueOf(bridge!, '802-3-ethernet.cloned-mac-address')).toBe('02:00:00:00:AA:01');
    expect(valueOf(bridge!, 'ipv4.dhcp-client-id')).toBe('duid');
    expect(valueOf(bridge!, 'ipv6.addr-gen-mode')).toBe('eui64');
  });

  it('gives bridge and port the uplink’s MTU', () => {
    expect(valueOf(bridge!, '802-3-ethernet.mtu')).toBe('1400');
    expect(valueOf(port!, '802-3-ethernet.mtu')).toBe('1400');
  });

  it('leaves defaults to NetworkManager', () => {
    for (const key of ['ipv4.route-metric', 'ipv4.never-default', 'ipv4.may-fail', 'ipv4.ignore-auto-dns', 'ipv4.dhcp-hostname']) {
      expect(bridge).not.toContain(key);
    }
  });
});

describe('planNmBridge refuses what it cannot bridge, naming the field', () => {
  const fieldOf = (r: NmBridgeRequest) => {
    try {
      planNmBridge(r);
      return undefined;
    } catch (e) {
      return { field: (e as { field?: string }).field, message: (e as Error).message };
    }
  };

  it('bad bridge names', () => {
    expect(fieldOf(request(dhcp, { bridgeName: 'a-very-long-bridge-name' }))?.field).toBe('bridgeName');
    expect(fieldOf(request(dhcp, { bridgeName: 'eth0' }))).toEqual({ field: 'bridgeName', message: 'bridgeName: eth0 is the uplink itself; pick another name such as br0' });
  });

  it('missing or shared UUIDs', () => {
    expect(fieldOf(request(dhcp, { bridgeUuid: 'br0' }))?.field).toBe('bridgeUuid');
    expect(fieldOf(request(dhcp, { portUuid: BRIDGE_UUID }))?.field).toBe('portUuid');
  });

  it('a Wi-Fi profile and a profile that is already a bridge port', () => {
    const wifi = uplinkFrom('connection-show-wifi-inactive.txt', '02:00:00:00:00:20');
    expect(fieldOf(request({ ...wifi, device: 'wlan0' }))).toEqual({
      field: 'uplink', message: 'uplink: wlan0 runs a 802-11-wireless profile; only a wired Ethernet profile can become a bridge port',
    });
    const port = uplinkFrom('connection-show-port-active.txt', '02:00:00:00:00:10');
    expect(fieldOf(request(port))).toEqual({
      field: 'uplink', message: 'uplink: eth0 is already a port of 38e185f5-1d95-4ef0-ac55-d5b08e184d8a; attach guests there instead',
    });
  });
});
