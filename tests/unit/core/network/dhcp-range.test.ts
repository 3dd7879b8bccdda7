import { describe, expect, it } from 'vitest';
import { parseAddress, parseExactCidr, type Cidr, type IpAddr } from '../../../../main/core/network/cidr';
import { defaultDhcpRange, usableHosts } from '../../../../main/core/network/dhcp-range';

const range = (subnet: string, gateway: string) => {
  const r = defaultDhcpRange(parseExactCidr(subnet) as Cidr, parseAddress(gateway) as IpAddr);
  return r && `${r.start.toString()}-${r.end.toString()}`;
};

describe('defaultDhcpRange', () => {
  it.each([
    ['10.80.0.0/24', '10.80.0.1', '10.80.0.128-10.80.0.254'],
    ['10.80.0.0/16', '10.80.0.1', '10.80.128.0-10.80.255.254'],
    ['10.80.0.0/29', '10.80.0.1', '10.80.0.4-10.80.0.6'],
    ['10.80.0.4/30', '10.80.0.5', '10.80.0.6-10.80.0.6'],
    // the gateway inside the upper half: the larger side of it
    ['10.80.0.0/24', '10.80.0.200', '10.80.0.128-10.80.0.199'],
    ['10.80.0.0/24', '10.80.0.130', '10.80.0.131-10.80.0.254'],
    ['10.80.0.0/24', '10.80.0.254', '10.80.0.128-10.80.0.253'],
    ['10.80.0.4/30', '10.80.0.6', '10.80.0.5-10.80.0.5'],
    ['fd00:1::/64', 'fd00:1::1', 'fd00:1::100-fd00:1::1ff'],
    ['fd00:1::/64', 'fd00:1::100', 'fd00:1::101-fd00:1::1ff'],
  ])('in %s with gateway %s: %s', (subnet, gateway, expected) => {
    expect(range(subnet, gateway)).toBe(expected);
  });

  it('never contains the gateway, the network or the broadcast address', () => {
    const subnet = parseExactCidr('10.80.0.0/28') as Cidr;
    for (let g = 1; g <= 14; g++) {
      const r = defaultDhcpRange(subnet, parseAddress(`10.80.0.${g}`) as IpAddr);
      expect(r).toBeDefined();
      const [s, e] = [r?.start.toByteArray()[3] ?? 0, r?.end.toByteArray()[3] ?? 0];
      expect(s).toBeGreaterThanOrEqual(1);
      expect(e).toBeLessThanOrEqual(14);
      expect(g < s || g > e).toBe(true);
    }
  });
});

describe('usableHosts', () => {
  it('leaves out the network and broadcast addresses', () => {
    const u = usableHosts(parseExactCidr('10.80.0.0/24') as Cidr);
    expect([u.start.toString(), u.end.toString()]).toEqual(['10.80.0.1', '10.80.0.254']);
  });
});
