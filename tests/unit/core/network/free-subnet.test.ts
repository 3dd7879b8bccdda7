import { describe, expect, it } from 'vitest';
import { cidrText, overlaps, parseExactCidr, type Cidr } from '../../../../main/core/network/cidr';
import { COMMONLY_USED_IPV4, findFreeIpv4Subnet, findFreeIpv6Subnet, ipv4Candidates, IPV4_POOLS } from '../../../../main/core/network/free-subnet';

const cidr = (t: string) => parseExactCidr(t) as Cidr;

describe('findFreeIpv4Subnet', () => {
  it('starts at the beginning of the first pool', () => {
    expect(findFreeIpv4Subnet([])).toBe('10.80.0.0/24');
  });

  it('scans the pools /24 by /24, never offering a commonly used block', () => {
    const candidates = [...ipv4Candidates()];
    const common = COMMONLY_USED_IPV4.map((c) => cidr(c.subnet));
    expect(candidates.filter((c) => common.some((b) => overlaps(b, c)))).toEqual([]);
    expect(candidates.every((c) => c.prefix === 24 && IPV4_POOLS.some((p) => overlaps(cidr(p), c)))).toBe(true);
    // 4096 /24s in 10.80.0.0/12 less CRI-O's 10.85/16 and Podman's 10.88/16 and 10.89/16,
    // then 128 in 192.168.128.0/17 less the FRITZ!Box's 192.168.178.0/24
    expect(candidates).toHaveLength(4096 - 3 * 256 + 128 - 1);
    expect(cidrText(candidates[0] as Cidr)).toBe('10.80.0.0/24');
    expect(candidates.map(cidrText)).not.toContain('10.85.0.0/24');
    expect(candidates.map(cidrText)).toContain('10.86.0.0/24');
  });

  it('takes the first candidate clear of what is taken', () => {
    expect(findFreeIpv4Subnet([cidr('10.80.0.0/23'), cidr('10.80.3.0/24')])).toBe('10.80.2.0/24');
    expect(findFreeIpv4Subnet([cidr('10.80.0.0/12')])).toBe('192.168.128.0/24');
  });

  it('returns undefined when the pools are used up', () => {
    expect(findFreeIpv4Subnet([cidr('10.0.0.0/8'), cidr('192.168.0.0/16')])).toBeUndefined();
  });

  it('checks every commonly used block is a valid subnet with a reason', () => {
    for (const c of COMMONLY_USED_IPV4) {
      expect(parseExactCidr(c.subnet), c.subnet).toBeDefined();
      expect(c.user.length).toBeGreaterThan(3);
    }
  });
});

describe('findFreeIpv6Subnet', () => {
  it('derives a unique local /64 from its seed', () => {
    const a = findFreeIpv6Subnet([], 'laptop/dev') as string;
    expect(a).toMatch(/\/64$/);
    expect(overlaps(cidr('fd00::/8'), cidr(a))).toBe(true);
    expect(findFreeIpv6Subnet([], 'laptop/dev')).toBe(a);
    expect(findFreeIpv6Subnet([], 'laptop/other')).not.toBe(a);
    expect(findFreeIpv6Subnet([], 'desktop/dev')).not.toBe(a);
  });

  it('steps past taken /64s within the same /48', () => {
    const a = findFreeIpv6Subnet([], 'laptop/dev') as string;
    const b = findFreeIpv6Subnet([cidr(a)], 'laptop/dev') as string;
    const site = cidr(`${a.replace('/64', '')}/48`);
    expect(b).not.toBe(a);
    expect(overlaps(site, cidr(b))).toBe(true);
  });
});
