import { describe, expect, it } from 'vitest';
import {
  addressAt, blockOf, cidrText, contains, lastAddress, nextBlock, overlaps, parseAddress, parseCidr, parseExactCidr, prefixFromNetmask,
  type Cidr,
} from '../../../../main/core/network/cidr';

const cidr = (text: string): Cidr => {
  const c = parseExactCidr(text);
  if (!c) throw new Error(`bad test subnet ${text}`);
  return c;
};
const addr = (text: string) => parseAddress(text) ?? (() => { throw new Error(`bad test address ${text}`); })();

describe('parseAddress', () => {
  it.each(['10.80.0.1', '0.0.0.0', 'fd00::1', '2001:db8::5'])('reads %s', (text) => {
    expect(parseAddress(text)?.toString()).toBe(text);
  });

  it.each(['10.1', '010.0.0.1', '0x0a.0.0.1', '10.0.0.256', 'fe80::1%eth0', '::ffff:10.0.0.1', 'fd00::/64', '', ' 10.0.0.1'])(
    'refuses %j, which ipaddr.js alone would read or which nobody means',
    (text) => {
      expect(parseAddress(text)).toBeUndefined();
    },
  );

  it('keeps to the family asked for', () => {
    expect(parseAddress('fd00::1', 'ipv4')).toBeUndefined();
    expect(parseAddress('10.0.0.1', 'ipv6')).toBeUndefined();
  });
});

describe('parseCidr', () => {
  it('tells a block from an address inside it', () => {
    expect(parseCidr('10.80.0.0/24')).toMatchObject({ hostBitsSet: false });
    const inside = parseCidr('10.80.0.9/24');
    expect(inside?.hostBitsSet).toBe(true);
    expect(inside && cidrText(inside.cidr)).toBe('10.80.0.0/24');
    expect(parseExactCidr('10.80.0.9/24')).toBeUndefined();
  });

  it.each(['10.80.0.0', '10.80.0.0/33', 'fd00::/129', '10.80/16', 'fd00::%1/64'])('refuses %s', (text) => {
    expect(parseCidr(text)).toBeUndefined();
  });

  it('writes IPv6 in canonical form', () => {
    expect(cidrText(cidr('FD00:0:0:1::/64'))).toBe('fd00:0:0:1::/64');
  });
});

describe('block arithmetic', () => {
  it.each([
    ['10.80.0.0/24', '10.80.0.128/25', true],
    ['10.80.0.0/25', '10.80.0.128/25', false],
    ['10.0.0.0/8', '10.80.0.0/24', true],
    ['10.80.0.0/24', '10.0.0.0/8', true],
    ['10.80.0.0/24', 'fd00::/64', false],
    ['fd00::/48', 'fd00:0:0:5::/64', true],
  ])('%s overlaps %s: %s', (a, b, expected) => {
    expect(overlaps(cidr(a), cidr(b))).toBe(expected);
  });

  it('finds addresses by offset from either end', () => {
    const c = cidr('10.80.0.0/24');
    expect(addressAt(c, 1n).toString()).toBe('10.80.0.1');
    expect(addressAt(c, -2n).toString()).toBe('10.80.0.254');
    expect(lastAddress(c).toString()).toBe('10.80.0.255');
    expect(() => addressAt(c, 256n)).toThrow(RangeError);
  });

  it('knows what a block contains', () => {
    expect(contains(cidr('10.80.0.0/24'), addr('10.80.0.77'))).toBe(true);
    expect(contains(cidr('10.80.0.0/24'), addr('10.80.1.0'))).toBe(false);
    expect(contains(cidr('10.80.0.0/24'), addr('fd00::1'))).toBe(false);
  });

  it('steps to the next block and stops at the end of the family', () => {
    expect(cidrText(nextBlock(cidr('10.80.255.0/24')) as Cidr)).toBe('10.81.0.0/24');
    expect(nextBlock(cidr('255.255.255.0/24'))).toBeUndefined();
  });

  it('finds the block of an interface address', () => {
    expect(cidrText(blockOf(addr('192.168.1.23'), 24))).toBe('192.168.1.0/24');
    expect(cidrText(blockOf(addr('2001:db8:1::23'), 64))).toBe('2001:db8:1::/64');
  });

  it('reads netmasks, refusing ones with holes', () => {
    expect(prefixFromNetmask('255.255.255.0')).toBe(24);
    expect(prefixFromNetmask('255.255.0.255')).toBeUndefined();
    expect(prefixFromNetmask('nonsense')).toBeUndefined();
  });
});
