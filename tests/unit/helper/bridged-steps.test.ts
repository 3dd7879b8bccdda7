import { describe, expect, it } from 'vitest';
import { BridgedRecord } from '../../../main/core/bridge-to-lan/bridged-record';
import { addressWords, routeWords } from '../../../main/core/bridge-to-lan/uplink-addressing';
import { Step } from '../../../main/helper/protocol';
import { Undo } from '../../../main/helper/undo';

const UUID = '0b6f3c55-58d3-4a4e-9d8e-3f1f2b0a7c11';
const add = (settings: [string, string][], id = 'kvmnet-br0') => Step.safeParse({ op: 'nm.connection.add', network: 'lan', uuid: UUID, type: 'bridge', id, ifname: 'br0', settings });

describe('the bridge-to-LAN steps as the helper accepts them', () => {
  it('takes only the settings a bridge or port profile needs', () => {
    expect(add([['ipv4.method', 'auto'], ['bridge.stp', 'no'], ['802-3-ethernet.cloned-mac-address', '02:00:00:00:00:10']]).success).toBe(true);
    for (const key of ['802-1x.password', 'connection.permissions', 'vpn.data', 'connection.secondaries', 'ipv4.dhcp-send-hostname-script']) {
      expect(add([[key, 'x']]).success, key).toBe(false);
    }
    expect(add([['ipv4.dns', '1.1.1.1\nipv4.method manual']]).success).toBe(false);
  });

  it('takes each setting once, since nmcli would apply the last while the checks read the first', () => {
    expect(add([['connection.master', 'br0'], ['connection.slave-type', 'bridge']]).success).toBe(true);
    const twice = add([['connection.master', 'br0'], ['connection.master', 'home']]);
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.path).toEqual(['settings']);
  });

  it('takes no setting value nmcli could read as an option, but a negative number', () => {
    expect(add([['ipv4.dns', '--help']]).success).toBe(false);
    expect(add([['ipv4.dns-search', '-x']]).success).toBe(false);
    expect(add([['connection.autoconnect-priority', '-5']]).success).toBe(true);
    expect(add([['ipv4.dns-search', 'a-b']]).success).toBe(true);
  });

  it('adds only profiles named kvmnet-…, never touches one by its name', () => {
    expect(add([], 'Wired connection 1').success).toBe(false);
    expect(Step.safeParse({ op: 'nm.connection.delete', network: 'lan', uuid: 'home' }).success).toBe(false);
  });

  it('keeps a checkpoint timeout NetworkManager can honour', () => {
    expect(Step.safeParse({ op: 'nm.checkpoint.create', network: 'lan', devices: ['eth0'], timeoutSeconds: 2 }).success).toBe(false);
    expect(Step.safeParse({ op: 'nm.checkpoint.create', network: 'lan', devices: [], timeoutSeconds: 60 }).success).toBe(false);
  });

  it('restores a deleted profile only from a NetworkManager keyfile that is that profile', () => {
    const keyfile = { ensure: 'nm.keyfile', uuid: UUID, path: '/etc/NetworkManager/system-connections/kvmnet-br0.nmconnection', content: `[connection]\nuuid=${UUID}\n` };
    expect(Undo.safeParse(keyfile).success).toBe(true);
    expect(Undo.safeParse({ ...keyfile, path: '/etc/shadow' }).success).toBe(false);
    expect(Undo.safeParse({ ...keyfile, path: '/etc/NetworkManager/system-connections/../../shadow.nmconnection' }).success).toBe(false);
    expect(Undo.safeParse({ ...keyfile, content: '[connection]\nuuid=another\n' }).success).toBe(false);
  });

  it('a bridge record says what it needs to be undone', () => {
    const base = { format: 1, name: 'lan', uplink: 'eth0', bridge: 'br0', createdAt: 'x' };
    expect(BridgedRecord.safeParse({ ...base, persistence: 'networkmanager' }).error?.issues[0]?.path).toEqual(['nm']);
    expect(BridgedRecord.safeParse({ ...base, persistence: 'runtime' }).error?.issues[0]?.path).toEqual(['addressing']);
  });
});

describe('moving addressing with ip -batch words', () => {
  it('writes default routes with their family in the destination (batch lines take no -4/-6)', () => {
    expect(routeWords({ family: 'inet', dst: 'default', gateway: '203.0.113.1', metric: 100, protocol: 'dhcp' }, 'br0'))
      .toEqual(['route', 'replace', '0.0.0.0/0', 'via', '203.0.113.1', 'dev', 'br0', 'metric', '100', 'proto', 'dhcp']);
    expect(routeWords({ family: 'inet6', dst: 'default', gateway: '2001:db8::1' }, 'br0')).toEqual(['route', 'replace', '::/0', 'via', '2001:db8::1', 'dev', 'br0']);
  });

  it('keeps a DHCP address expiring when its lease would', () => {
    expect(addressWords({ cidr: '203.0.113.120/24', validLft: 3500, preferredLft: 3500 }, 'br0'))
      .toEqual(['address', 'replace', '203.0.113.120/24', 'dev', 'br0', 'valid_lft', '3500', 'preferred_lft', '3500']);
    expect(addressWords({ cidr: '203.0.113.50/24', validLft: 'forever', preferredLft: 'forever' }, 'br0')).toEqual(['address', 'replace', '203.0.113.50/24', 'dev', 'br0']);
  });
});
