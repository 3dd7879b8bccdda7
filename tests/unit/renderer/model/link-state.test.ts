import { describe, expect, it } from 'vitest';
import type { Link } from '../../../../main/core/host-snapshot';
import { formatAddress, linkState, shownAddresses } from '../../../../renderer/src/model/link-state';

const link = (up: boolean, operState: string): Link => ({ index: 1, name: 'x', kind: 'tap', mtu: 1500, up, operState, addresses: [] });

describe('linkState', () => {
  it.each([
    [true, 'UP', 'up'],
    [true, 'UNKNOWN', 'up'],
    [true, 'DOWN', 'noCarrier'],
    [true, 'LOWERLAYERDOWN', 'noCarrier'],
    [false, 'DOWN', 'down'],
    [false, 'UP', 'down'],
  ] as const)('up=%s operstate %s reads as %s', (up, oper, expected) => {
    expect(linkState(link(up, oper))).toBe(expected);
  });
});

describe('shownAddresses', () => {
  it('drops IPv6 link-local addresses and keeps the rest as ADDRESS/PREFIX', () => {
    const l: Link = {
      ...link(true, 'UP'),
      addresses: [
        { family: 'inet', address: '10.77.0.1', prefixLength: 24, scope: 'global' },
        { family: 'inet6', address: 'fe80::1', prefixLength: 64, scope: 'link' },
        { family: 'inet6', address: 'fd00::1', prefixLength: 64, scope: 'global' },
      ],
    };
    expect(shownAddresses(l).map(formatAddress)).toEqual(['10.77.0.1/24', 'fd00::1/64']);
  });
});
