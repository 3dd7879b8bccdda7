import { describe, expect, it } from 'vitest';
import { Link } from '../../../main/core/host-snapshot';
import { IpLinkEntry, parseIpJson } from '../../../main/host/iproute2-json';
import { parseLinks, sysfsWants } from '../../../main/host/parse-links';
import type { SysfsFacts } from '../../../main/host/sysfs-facts';
import { hostFixture } from '../../fixtures/host/fixture';

const sysfs = new Map(Object.entries(JSON.parse(hostFixture('lab/sysfs.json')) as Record<string, SysfsFacts>));
const links = parseLinks(parseIpJson(IpLinkEntry, hostFixture('lab/ip-d-s-addr.json'), 'ip'), sysfs);
const byName = (name: string): Link => {
  const link = links.find((l) => l.name === name);
  if (!link) throw new Error(`no ${name} in the fixture`);
  return link;
};

describe('parseLinks on a real lab dump', () => {
  it('produces links the snapshot schema accepts', () => {
    for (const link of links) expect(Link.parse(link)).toEqual(link);
  });

  it('gives each link its kind', () => {
    expect(Object.fromEntries(links.map((l) => [l.name, l.kind]))).toEqual({
      lo: 'loopback', kvbr0: 'bridge', kvtap0: 'tap', kvtap1: 'tap', kvtun0: 'tun', kvveth0: 'veth', kvveth1: 'veth',
      kvmacvlan0: 'macvlan', kvmacvtap0: 'macvtap', kvvx0: 'other', kvvethA: 'veth', virbr7: 'bridge', kvbr9: 'bridge', virbr9: 'bridge',
    });
    expect(byName('kvvx0').infoKind).toBe('vxlan');
  });

  it('reads masters, aliases and the owning KVMNet network', () => {
    expect(byName('kvtap0')).toMatchObject({ master: 'kvbr0', alias: 'kvmnet:lab', owner: 'lab' });
    expect(byName('kvtap1').master).toBe('kvbr0');
    expect(byName('kvtap1').owner).toBeUndefined();
    expect(byName('kvbr0')).toMatchObject({ alias: 'kvmnet:lab', owner: 'lab' });
    expect(byName('kvbr0').master).toBeUndefined();
  });

  it('names a veth peer only when it is in the same namespace', () => {
    expect(byName('kvveth0').peer).toBe('kvveth1');
    expect(byName('kvveth1').peer).toBe('kvveth0');
    expect(byName('kvvethA').peer).toBeUndefined();
    // a macvlan's lower device is not a peer
    expect(byName('kvmacvlan0').peer).toBeUndefined();
  });

  it('takes the tap owner uid from sysfs, where ip printed a user name', () => {
    expect(byName('kvtap0').tapOwnerUid).toBe(1000);
    expect(byName('kvtap1').tapOwnerUid).toBeUndefined();
  });

  it('falls back to a numeric owner printed by ip when sysfs is not readable', () => {
    const entry = IpLinkEntry.parse({ ifindex: 9, ifname: 'tap9', mtu: 1500, link_type: 'ether', linkinfo: { info_kind: 'tun', info_data: { type: 'tap', user: 1001 } } });
    expect(parseLinks([entry], new Map())[0]?.tapOwnerUid).toBe(1001);
  });

  it('reads state, MTU, MAC, addresses and counters', () => {
    expect(byName('kvveth0')).toMatchObject({ up: true, operState: 'UP', mtu: 1500, mac: '1e:c7:cf:c3:67:37' });
    expect(byName('kvtun0')).toMatchObject({ up: false, operState: 'DOWN' });
    expect(byName('kvtun0').mac).toBeUndefined();
    expect(byName('lo').mac).toBeUndefined();
    expect(byName('kvbr0').addresses.map((a) => `${a.address}/${a.prefixLength}`)).toEqual(expect.arrayContaining(['10.77.0.1/24', 'fd00:77::1/64']));
    expect(byName('lo').stats).toEqual({ rxBytes: expect.any(Number), txBytes: expect.any(Number), rxPackets: expect.any(Number), txPackets: expect.any(Number) });
  });

  it('reads a physical NIC of a real machine', () => {
    const [eth0] = parseLinks(parseIpJson(IpLinkEntry, hostFixture('machine/ip-d-s-addr-eth0.json'), 'ip'), new Map());
    expect(eth0).toMatchObject({ name: 'eth0', kind: 'physical', up: true });
    expect(eth0?.infoKind).toBeUndefined();
  });
});

describe('sysfsWants', () => {
  const entries = parseIpJson(IpLinkEntry, hostFixture('lab/ip-d-s-addr.json'), 'ip');

  it('asks sysfs only about NICs and taps whose owner ip printed as a name', () => {
    const asked = entries.filter((e) => { const w = sysfsWants(e); return w.hardware || w.owner; }).map((e) => e.ifname);
    expect(asked.length).toBeLessThan(entries.length);
    for (const e of entries.filter((x) => x.linkinfo?.info_kind === 'bridge')) expect(sysfsWants(e)).toEqual({ hardware: false, owner: false });
  });

  it('parses the same links from the facts it asks for as from all of them', () => {
    const needed = new Map([...sysfs].flatMap(([name, facts]) => {
      const entry = entries.find((e) => e.ifname === name);
      if (!entry) return [];
      const w = sysfsWants(entry);
      if (!w.hardware && !w.owner) return [];
      return [[name, {
        device: w.hardware && facts.device,
        wireless: w.hardware && facts.wireless,
        ...(w.owner && facts.tunOwnerUid !== undefined ? { tunOwnerUid: facts.tunOwnerUid } : {}),
      }] as const];
    }));
    expect(parseLinks(entries, needed)).toEqual(links);
  });
});

describe('tap owners printed by name', () => {
  const tap = IpLinkEntry.parse({ ifindex: 9, ifname: 'kvtap9', mtu: 1500, linkinfo: { info_kind: 'tun', info_data: { type: 'tap', user: 'alice' } } });

  it('are mapped to their uid from the local users, without asking sysfs', () => {
    const uids = new Map([['alice', 1000]]);
    expect(sysfsWants(tap, uids)).toEqual({ hardware: false, owner: false });
    expect(parseLinks([tap], new Map(), uids)[0]?.tapOwnerUid).toBe(1000);
  });

  it('go to sysfs when the name is not a local user', () => {
    expect(sysfsWants(tap, new Map())).toEqual({ hardware: false, owner: true });
    expect(parseLinks([tap], new Map([['kvtap9', { device: false, wireless: false, tunOwnerUid: 4242 }]]))[0]?.tapOwnerUid).toBe(4242);
  });
});
