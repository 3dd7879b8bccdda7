import { describe, expect, it } from 'vitest';
import { isOwned, ownerNetwork, parseIpAddrJson, restorableAddresses } from '../../../main/helper/link-facts';
import { fact } from './link-fixtures';

// trimmed from `ip -j -d addr show` (iproute2 6.1) in a lab
const SAMPLE = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, link_type: 'loopback', address: '00:00:00:00:00:00',
    addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }, { family: 'inet6', local: '::1', prefixlen: 128, scope: 'host' }] },
  { ifindex: 2, ifname: 'kvbr0', flags: ['BROADCAST', 'MULTICAST', 'UP'], mtu: 1500, link_type: 'ether', address: '02:11:22:33:44:55',
    linkinfo: { info_kind: 'bridge', info_data: { stp_state: 1, forward_delay: 0 } }, ifalias: 'kvmnet:lab',
    addr_info: [{ family: 'inet', local: '10.80.0.1', prefixlen: 24, scope: 'global' }, { family: 'inet6', local: 'fd00:0::1', prefixlen: 64, scope: 'global' }, { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' }] },
  { ifindex: 3, link: 'va', ifname: 'vb', flags: ['BROADCAST', 'MULTICAST', 'M-DOWN'], mtu: 1500, link_type: 'ether', address: 'b6:4e:fb:75:22:8c', master: 'kvbr0',
    linkinfo: { info_kind: 'veth' }, addr_info: [] },
  { ifindex: 5, ifname: 'tp0', flags: ['BROADCAST', 'MULTICAST'], mtu: 1400, link_type: 'ether', address: 'da:cc:14:4a:fe:ee',
    linkinfo: { info_kind: 'tun', info_data: { type: 'tap', pi: false, user: 'cloudsdk' } }, ifalias: '', addr_info: [] },
  { ifindex: 6, ifname: 'tun0', flags: ['POINTOPOINT'], mtu: 1500, link_type: 'none', linkinfo: { info_kind: 'tun', info_data: { type: 'tun' } }, addr_info: [] },
]);

describe('parseIpAddrJson', () => {
  const [lo, br, vb, tap, tun] = parseIpAddrJson(SAMPLE);

  it('reads kind, state, alias, master, peer and stp', () => {
    expect(lo).toMatchObject({ name: 'lo', kind: 'other', up: true, mtu: 65536 });
    expect(lo!.mac).toBeUndefined();
    expect(br).toMatchObject({ kind: 'bridge', up: true, alias: 'kvmnet:lab', stp: true, forwardDelay: 0, mac: '02:11:22:33:44:55' });
    expect(vb).toMatchObject({ kind: 'veth', peer: 'va', master: 'kvbr0', up: false });
    expect(tap).toMatchObject({ kind: 'tap', mtu: 1400 });
    expect(tun!.kind).toBe('other');
  });

  it('keeps addresses in canonical form with their scope', () => {
    expect(br!.addresses).toEqual([
      { family: 'inet', cidr: '10.80.0.1/24', scope: 'global' },
      { family: 'inet6', cidr: 'fd00::1/64', scope: 'global' },
      { family: 'inet6', cidr: 'fe80::1/64', scope: 'link' },
    ]);
    expect(restorableAddresses(br!).map((a) => a.cidr)).toEqual(['10.80.0.1/24', 'fd00::1/64']);
  });

  it('treats an empty alias as none and takes the tap user from sysfs, not from the name ip prints', () => {
    expect(tap!.alias).toBeUndefined();
    expect(tap!.tapUser).toBeUndefined();
  });
});

describe('ownership', () => {
  it.each([
    ['kvmnet:lab', true, 'lab'],
    ['kvmnet:dev-nat_2', true, 'dev-nat_2'],
    [undefined, false, undefined],
    ['libvirt', false, undefined],
    ['kvmnet:', false, undefined],
    ['kvmnet:two words', false, undefined],
    ['KVMNET:lab', false, undefined],
  ])('alias %s: owned %s', (alias, owned, network) => {
    const link = fact('x', { alias });
    expect(isOwned(link)).toBe(owned);
    expect(ownerNetwork(link)).toBe(network);
  });

  it('a missing link is not owned', () => expect(isOwned(undefined)).toBe(false));
});
