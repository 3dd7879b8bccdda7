import { describe, expect, it } from 'vitest';
import { IpLinkEntry, parseIpJson } from '../../../main/host/iproute2-json';
import { parseAddresses } from '../../../main/host/parse-addresses';
import { hostFixture } from '../../fixtures/host/fixture';

const entries = parseIpJson(IpLinkEntry, hostFixture('lab/ip-d-s-addr.json'), 'ip');
const addressesOf = (name: string) => parseAddresses(entries.find((e) => e.ifname === name)!);

describe('parseAddresses', () => {
  it('reads IPv4 and IPv6 addresses with prefix and scope', () => {
    expect(addressesOf('kvbr0')).toEqual([
      { family: 'inet', address: '10.77.0.1', prefixLength: 24, scope: 'global' },
      { family: 'inet6', address: 'fd00:77::1', prefixLength: 64, scope: 'global' },
      { family: 'inet6', address: expect.stringMatching(/^fe80::/), prefixLength: 64, scope: 'link' },
    ]);
    expect(addressesOf('lo')).toEqual([
      { family: 'inet', address: '127.0.0.1', prefixLength: 8, scope: 'host' },
      { family: 'inet6', address: '::1', prefixLength: 128, scope: 'host' },
    ]);
  });

  it('gives an empty list for a link without addresses', () => {
    expect(addressesOf('kvtap1')).toEqual([]);
  });

  it('skips entries that are not IPv4/IPv6 or lack an address', () => {
    expect(parseAddresses({ addr_info: [{ family: 'link' }, { family: 'inet', prefixlen: 24 }] })).toEqual([]);
  });
});
