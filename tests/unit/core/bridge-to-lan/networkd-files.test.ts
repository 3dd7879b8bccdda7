import { describe, expect, it } from 'vitest';
import { leaseIaid, networkdFileNames, parseNetworkdLinkState, renderNetworkdBridge } from '../../../../main/core/bridge-to-lan/networkd-files';

const USER_NETWORK = `# written by the installer
[Match]
Name=eth0

[Link]
MACAddress=02:00:00:00:00:99
MTUBytes=1400

[Network]
DHCP=ipv4
DNS=203.0.113.53
Domains=lan.example

[Route]
Destination=198.51.100.0/24
Gateway=203.0.113.254
`;

describe('renderNetworkdBridge', () => {
  const files = renderNetworkdBridge({ bridge: 'br0', uplink: 'eth0', mac: '02:00:00:00:00:10', uplinkNetwork: USER_NETWORK });

  it('makes a bridge with the NIC’s MAC, STP off, no forward delay, and the NIC its port; names sort before the user’s files', () => {
    expect(files.map((f) => f.name)).toEqual(['10-kvmnet-br0.netdev', '10-kvmnet-eth0-port.network', '10-kvmnet-br0.network']);
    expect(files[0]!.text).toBe('[NetDev]\nName=br0\nKind=bridge\nMACAddress=02:00:00:00:00:10\n\n[Bridge]\nSTP=no\nForwardDelaySec=0\n');
    expect(files[1]!.text).toBe('[Match]\nName=eth0\n\n[Network]\nBridge=br0\n');
  });

  it("carries the user's addressing, DNS and routes over to the bridge, matching the bridge instead of the NIC", () => {
    expect(files[2]!.text).toBe('[Match]\nName=br0\n\n[Link]\nMTUBytes=1400\n\n[Network]\nDHCP=ipv4\nDNS=203.0.113.53\nDomains=lan.example\n\n[Route]\nDestination=198.51.100.0/24\nGateway=203.0.113.254\n');
  });

  it('refuses names and MACs that could not be written into a unit file safely', () => {
    expect(() => renderNetworkdBridge({ bridge: 'br0\nKind=x', uplink: 'eth0', mac: '02:00:00:00:00:10', uplinkNetwork: '' })).toThrow(/bridge:/);
    expect(() => renderNetworkdBridge({ bridge: 'br0', uplink: 'eth0', mac: 'nope', uplinkNetwork: '' })).toThrow(/mac:/);
  });

  it('refuses a bridge named like the uplink\'s port file, which would be written over it', () => {
    expect(networkdFileNames('br0', 'eth0')).toEqual(files.map((f) => f.name));
    expect(() => networkdFileNames('eth0-port', 'eth0')).toThrow(/bridge: eth0-port would share its networkd file with eth0's port/);
  });
});

describe('the DHCPv4 client identifier of the bridge', () => {
  const LEASE = '# This is private data. Do not parse.\nADDRESS=203.0.113.198\nCLIENTID=ffd0fb083f00020000ab110033bdebf95e192c\n';

  it('reads the IAID of an RFC 4361 client identifier from the NIC\'s lease, and nothing from a MAC-based one', () => {
    expect(leaseIaid(LEASE)).toBe(0xd0fb083f);
    expect(leaseIaid('CLIENTID=01020000000010\n')).toBeUndefined();
    expect(leaseIaid('ADDRESS=203.0.113.198\n')).toBeUndefined();
  });

  it('pins the NIC\'s IAID on the bridge, in the user\'s [DHCPv4] section or a new one, unless the user chose the identifier', () => {
    const render = (uplinkNetwork: string) => renderNetworkdBridge({ bridge: 'br0', uplink: 'eth0', mac: '02:00:00:00:00:10', uplinkNetwork, iaid: 0xd0fb083f })[2]!.text;
    expect(render('[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n')).toBe('[Match]\nName=br0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nIAID=3506112575\n');
    expect(render('[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nUseDNS=no\n')).toBe('[Match]\nName=br0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nIAID=3506112575\nUseDNS=no\n');
    expect(render('[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nClientIdentifier=mac\n')).toBe('[Match]\nName=br0\n\n[Network]\nDHCP=ipv4\n\n[DHCPv4]\nClientIdentifier=mac\n');
    expect(() => renderNetworkdBridge({ bridge: 'br0', uplink: 'eth0', mac: '02:00:00:00:00:10', uplinkNetwork: '', iaid: -1 })).toThrow(/iaid:/);
  });
});

describe('parseNetworkdLinkState', () => {
  it('tells a link networkd configures, and from which file, from one it leaves alone', () => {
    expect(parseNetworkdLinkState('# This is private data. Do not parse.\nADMIN_STATE=configured\nOPER_STATE=routable\nNETWORK_FILE=/etc/systemd/network/20-wired.network\n'))
      .toEqual({ managed: true, networkFile: '/etc/systemd/network/20-wired.network', dns: [] });
    expect(parseNetworkdLinkState('ADMIN_STATE=unmanaged\nOPER_STATE=carrier\n')).toEqual({ managed: false, dns: [] });
  });

  it('reads the DNS servers networkd keeps for the link, from its file and its lease', () => {
    expect(parseNetworkdLinkState('ADMIN_STATE=configured\nNETWORK_FILE=/etc/systemd/network/50-eth0.network\nDNS=203.0.113.1 2001:db8::53\nNTP=\n').dns).toEqual(['203.0.113.1', '2001:db8::53']);
  });
});
