import { describe, expect, it } from 'vitest';
import { canonicalCidr, parseCidr } from '../../../main/helper/cidr';

describe('parseCidr', () => {
  it.each([
    ['10.80.0.1/24', 'inet', '10.80.0.1/24'],
    ['0.0.0.0/0', 'inet', '0.0.0.0/0'],
    ['fd00:0:0::1/64', 'inet6', 'fd00::1/64'],
    ['FD00::A/128', 'inet6', 'fd00::a/128'],
  ])('accepts %s as %s %s', (text, family, cidr) => {
    expect(parseCidr(text)).toEqual({ family, cidr });
  });

  it.each(['10.0.0.1/33', '10.0.0.1', '010.0.0.1/24', '10.0.0/24', '256.0.0.1/24', 'fd00::1/129', 'fd00::1/064', '::g/64', '1.2.3.4/-1', '/24', '10.0.0.1/'])(
    'refuses %s (ip would refuse it while parsing, before saying which line failed)',
    (text) => expect(parseCidr(text)).toBeUndefined(),
  );

  it('compares addresses in canonical form and leaves non-addresses as they are', () => {
    expect(canonicalCidr('fd00:0::1/64')).toBe(canonicalCidr('fd00::1/64'));
    expect(canonicalCidr('nonsense')).toBe('nonsense');
  });
});
