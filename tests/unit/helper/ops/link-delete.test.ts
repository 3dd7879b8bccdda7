import { describe, expect, it } from 'vitest';
import { linkDelete } from '../../../../main/helper/ops/link-delete';
import { fact, host } from '../link-fixtures';

const links = host(
  fact('kvbr0', {
    up: true, mtu: 1400, mac: '02:00:00:00:00:01', stp: true, forwardDelay: 0,
    addresses: [{ family: 'inet', cidr: '10.80.0.1/24', scope: 'global' }, { family: 'inet6', cidr: 'fe80::1/64', scope: 'link' }],
    sysctls: { 'net/ipv4/conf/kvbr0/forwarding': '1' },
  }),
  fact('kvtap0', { kind: 'tap', tapUser: 1000, master: 'kvbr0', mac: '02:00:00:00:00:02', up: true }),
  fact('kva', { kind: 'veth', peer: 'kvb', mac: '02:00:00:00:00:03', master: 'kvbr0' }),
  fact('kvb', { kind: 'veth', peer: 'kva', mac: '02:00:00:00:00:04', alias: 'kvmnet:other', up: true }),
  fact('eth0', { kind: 'other', alias: undefined, master: 'kvbr0' }),
  fact('mine-dummy', { kind: 'other' }),
  fact('kvc', { kind: 'veth', peer: 'peer-elsewhere' }),
  fact('kvd', { kind: 'veth', peer: 'theirs' }),
  fact('theirs', { kind: 'veth', peer: 'kvd', alias: undefined }),
);

describe('link.delete', () => {
  it('recreates a bridge with its MAC, stp, alias, sysctls, ports (ours and not), MTU after the ports, addresses and state', () => {
    expect(linkDelete.inverse({ op: 'link.delete', name: 'kvbr0' }, links)).toEqual([
      { ensure: 'link.present', name: 'kvbr0', kind: 'bridge', mac: '02:00:00:00:00:01', stp: true, forwardDelay: 0 },
      { ensure: 'link.alias', name: 'kvbr0', network: 'lab' },
      { ensure: 'sysctl', path: 'net/ipv4/conf/kvbr0/forwarding', value: '1' },
      { ensure: 'link.master', name: 'kvtap0', master: 'kvbr0' },
      { ensure: 'link.master', name: 'kva', master: 'kvbr0' },
      { ensure: 'link.master', name: 'eth0', master: 'kvbr0' },
      { ensure: 'link.mtu', name: 'kvbr0', mtu: 1400 },
      { ensure: 'addr.present', dev: 'kvbr0', address: '10.80.0.1/24' },
      { ensure: 'link.up', name: 'kvbr0', up: true },
    ]);
  });

  it('recreates a tap with its user and a veth pair with both ends', () => {
    expect(linkDelete.inverse({ op: 'link.delete', name: 'kvtap0' }, links)).toContainEqual({ ensure: 'link.present', name: 'kvtap0', kind: 'tap', mac: '02:00:00:00:00:02', user: 1000 });
    const veth = linkDelete.inverse({ op: 'link.delete', name: 'kvb' }, links);
    expect(veth[0]).toEqual({ ensure: 'link.present', name: 'kvb', kind: 'veth', mac: '02:00:00:00:00:04', peer: 'kva', peerMac: '02:00:00:00:00:03' });
    expect(veth).toContainEqual({ ensure: 'link.alias', name: 'kva', network: 'lab' });
    expect(veth).toContainEqual({ ensure: 'link.alias', name: 'kvb', network: 'other' });
    expect(veth).toContainEqual({ ensure: 'link.master', name: 'kva', master: 'kvbr0' });
    expect(veth).toContainEqual({ ensure: 'link.up', name: 'kvb', up: true });
  });

  it('refuses what it could not recreate or does not own', () => {
    expect(linkDelete.check({ op: 'link.delete', name: 'eth0' }, links)).toMatchObject({ code: 'NOT_OWNED' });
    expect(linkDelete.check({ op: 'link.delete', name: 'nope' }, links)).toMatchObject({ code: 'NOT_OWNED', message: expect.stringContaining('does not exist') });
    expect(linkDelete.check({ op: 'link.delete', name: 'mine-dummy' }, links)).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(linkDelete.check({ op: 'link.delete', name: 'kvc' }, links)).toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('another namespace') });
    expect(linkDelete.check({ op: 'link.delete', name: 'kvd' }, links)).toMatchObject({ code: 'NOT_OWNED', message: expect.stringContaining('theirs') });
    expect(linkDelete.check({ op: 'link.delete', name: 'kva' }, links)).toBeUndefined();
  });

  it('simulates the pair gone and the ports detached', () => {
    const after = linkDelete.simulate({ op: 'link.delete', name: 'kvbr0' }, links);
    expect(after.has('kvbr0')).toBe(false);
    expect(after.get('kvtap0')!.master).toBeUndefined();
    const noPair = linkDelete.simulate({ op: 'link.delete', name: 'kva' }, links);
    expect(noPair.has('kva') || noPair.has('kvb')).toBe(false);
    expect(linkDelete.lines({ op: 'link.delete', name: 'kva' }, { bridgeMac: () => '' })).toEqual(['link delete dev kva']);
  });
});
