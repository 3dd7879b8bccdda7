import { describe, expect, it } from 'vitest';
import { parseDnsmasqLeaseFile, parseVirshDhcpLeases } from '../../../main/host/parse-dhcp-leases';

describe('parseDnsmasqLeaseFile', () => {
  it('reads IPv4 leases with their end time, leaves out unknown host names and DHCPv6 lines', () => {
    const text = [
      '1795423811 52:54:00:6b:70:01 10.82.1.50 web 01:52:54:00:6b:70:01',
      '0 52:54:00:6B:70:02 10.82.1.140 * *',
      'duid 00:01:00:01:2c:5e:1f:2a:52:54:00:6b:70:01',
      '1795423811 1234 fd82::100 web 00:01:00:01',
      '',
    ].join('\n');
    expect(parseDnsmasqLeaseFile(text)).toEqual([
      { mac: '52:54:00:6b:70:01', ip: '10.82.1.50', hostname: 'web', expires: '2026-11-23T08:50:11.000Z' },
      { mac: '52:54:00:6b:70:02', ip: '10.82.1.140' },
    ]);
  });
});

describe('parseVirshDhcpLeases', () => {
  it('reads the table after its rule, IPv4 only, without the prefix', () => {
    const text = ` Expiry Time           MAC address         Protocol   IP address       Hostname   Client ID or DUID
---------------------------------------------------------------------------------------------------------
 2026-11-22 09:10:11   52:54:00:6b:70:02   ipv4       10.82.2.50/24    web        01:52:54:00:6b:70:02
 2026-11-22 09:12:00   52:54:00:6b:70:03   ipv4       10.82.2.140/24   -          -
 2026-11-22 09:12:00   52:54:00:6b:70:03   ipv6       fd82::140/64     -          00:04:aa
`;
    expect(parseVirshDhcpLeases(text)).toEqual([
      { mac: '52:54:00:6b:70:02', ip: '10.82.2.50', hostname: 'web', expires: '2026-11-22T09:10:11Z' },
      { mac: '52:54:00:6b:70:03', ip: '10.82.2.140', expires: '2026-11-22T09:12:00Z' },
    ]);
    expect(parseVirshDhcpLeases('')).toEqual([]);
  });
});
