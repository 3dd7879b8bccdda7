import { describe, expect, it } from 'vitest';
import { linksFromSysfs, sysfsShowsThisNamespace, type SysfsLink } from '../../../main/helper/sysfs-links';

const link = (name: string, ifindex: number, more: Partial<SysfsLink> = {}): SysfsLink => ({
  name, ifindex: String(ifindex), iflink: String(ifindex), type: '1', address: `52:54:00:00:00:0${ifindex}`, mtu: '1500', flags: '0x1003',
  ifalias: '', master: undefined, tunFlags: undefined, owner: undefined, bridge: undefined, ...more,
});

describe('linksFromSysfs', () => {
  it('tells bridges, taps and veth pairs apart and reads what ip -d reads, without addresses, in interface index order', () => {
    const facts = linksFromSysfs([
      { ...link('lo', 1), type: '772', address: '00:00:00:00:00:00', mtu: '65536', flags: '0x9' },
      link('kvbr0', 2, { ifalias: 'kvmnet:lab', bridge: { stpState: '1', forwardDelay: '0' }, flags: '0x1002' }),
      link('kvtap0', 3, { tunFlags: '0x1802', owner: '1000', master: '../kvbr0', ifalias: 'kvmnet:lab' }),
      link('kvv0', 5, { iflink: '4' }),
      link('kvv1', 4, { iflink: '5', mtu: '9000' }),
      link('tun0', 6, { tunFlags: '0x1001', owner: '-1', type: '65534', address: '' }),
      // a macvlan on top of the veth: it points at the veth, which does not point back
      link('mv0', 7, { iflink: '5' }),
      // a veth whose peer is in another namespace
      link('ct0', 8, { iflink: '2' }),
    ]);
    expect(facts).toEqual([
      { name: 'lo', kind: 'other', mtu: 65536, up: true, addresses: [] },
      { name: 'kvbr0', kind: 'bridge', mtu: 1500, up: false, addresses: [], mac: '52:54:00:00:00:02', alias: 'kvmnet:lab', stp: true, forwardDelay: 0 },
      { name: 'kvtap0', kind: 'tap', mtu: 1500, up: true, addresses: [], mac: '52:54:00:00:00:03', master: 'kvbr0', alias: 'kvmnet:lab', tapUser: 1000 },
      { name: 'kvv1', kind: 'veth', mtu: 9000, up: true, addresses: [], mac: '52:54:00:00:00:04', peer: 'kvv0' },
      { name: 'kvv0', kind: 'veth', mtu: 1500, up: true, addresses: [], mac: '52:54:00:00:00:05', peer: 'kvv1' },
      { name: 'tun0', kind: 'other', mtu: 1500, up: true, addresses: [] },
      { name: 'mv0', kind: 'other', mtu: 1500, up: true, addresses: [], mac: '52:54:00:00:00:07' },
      { name: 'ct0', kind: 'other', mtu: 1500, up: true, addresses: [], mac: '52:54:00:00:00:08' },
    ]);
  });
});

describe('sysfsShowsThisNamespace', () => {
  const raw = [link('lo', 1), link('eth0', 2), link('kvbr0', 3)];
  const dev = (...names: string[]) => `Inter-|   Receive\n face |bytes    packets\n${names.map((n) => `  ${n}: 0 0 0 0\n`).join('')}`;
  const inet6 = '00000000000000000000000000000001 01 80 10 80       lo\nfe800000000000000000000000000001 02 40 20 80     eth0\n';
  const mcast = '2    eth0            1     0     333300000001\n3    kvbr0           1     0     333300000001\n';

  it('accepts the same names with the same interface indices', () => {
    expect(sysfsShowsThisNamespace(raw, dev('lo', 'eth0', 'kvbr0'), inet6, mcast)).toBe(true);
    expect(sysfsShowsThisNamespace(raw, dev('kvbr0', 'lo', 'eth0'), '', '')).toBe(true);
  });

  it('refuses a sysfs of another namespace: other names, or the same names with other indices', () => {
    // a namespace entered without mounting its own sysfs: only lo here, the host's links there
    expect(sysfsShowsThisNamespace(raw, dev('lo'), '', '')).toBe(false);
    expect(sysfsShowsThisNamespace(raw, dev('lo', 'eth0', 'kvbr1'), '', '')).toBe(false);
    expect(sysfsShowsThisNamespace(raw, dev('lo', 'eth0', 'kvbr0'), inet6.replace(' 02 ', ' 07 '), mcast)).toBe(false);
    expect(sysfsShowsThisNamespace(raw, dev('lo', 'eth0', 'kvbr0'), inet6, mcast.replace('3    kvbr0', '9    kvbr0'))).toBe(false);
  });
});
