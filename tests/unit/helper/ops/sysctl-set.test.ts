import { describe, expect, it } from 'vitest';
import { sysctlSet } from '../../../../main/helper/ops/sysctl-set';
import { fact, host } from '../link-fixtures';

const links = host(fact('kvbr0', { addresses: [{ family: 'inet6', cidr: 'fd00::1/64', scope: 'global' }, { family: 'inet6', cidr: 'fe80::1/64', scope: 'link' }] }), fact('eth0', { alias: undefined, kind: 'other' }));
const forwarding = { 'net/ipv4/conf/all/forwarding': '0', 'net/ipv4/conf/default/forwarding': '0', 'net/ipv4/conf/eth0/forwarding': '0', 'net/ipv4/conf/kvbr0/forwarding': '1' };

describe('sysctl.set', () => {
  it('restores a global forwarding key, then every per-interface flag the kernel overwrote', () => {
    expect(sysctlSet.inverse({ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }, { previous: '0', forwarding }, links)).toEqual([
      { ensure: 'sysctl', path: 'net/ipv4/ip_forward', value: '0' },
      { ensure: 'sysctl', path: 'net/ipv4/conf/default/forwarding', value: '0' },
      { ensure: 'sysctl', path: 'net/ipv4/conf/eth0/forwarding', value: '0' },
      { ensure: 'sysctl', path: 'net/ipv4/conf/kvbr0/forwarding', value: '1' },
    ]);
  });

  it('restores a per-interface key alone', () => {
    expect(sysctlSet.inverse({ op: 'sysctl.set', key: 'net.ipv4.conf.kvbr0.proxy_arp', value: '1' }, { previous: '0', forwarding: {} }, links))
      .toEqual([{ ensure: 'sysctl', path: 'net/ipv4/conf/kvbr0/proxy_arp', value: '0' }]);
  });

  it('puts back the IPv6 addresses that disabling IPv6 drops', () => {
    expect(sysctlSet.inverse({ op: 'sysctl.set', key: 'net.ipv6.conf.kvbr0.disable_ipv6', value: '1' }, { previous: '0', forwarding: {} }, links)).toEqual([
      { ensure: 'sysctl', path: 'net/ipv6/conf/kvbr0/disable_ipv6', value: '0' },
      { ensure: 'addr.present', dev: 'kvbr0', address: 'fd00::1/64' },
    ]);
  });

  it('has nothing to undo when the key does not exist (the write fails)', () => {
    expect(sysctlSet.inverse({ op: 'sysctl.set', key: 'net.ipv6.conf.kvbr0.forwarding', value: '1' }, { previous: undefined, forwarding: {} }, links)).toEqual([]);
  });

  it('allows per-interface keys only on owned links', () => {
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.eth0.forwarding', value: '1' }, links)).toMatchObject({ code: 'NOT_ALLOWED', field: 'key' });
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.all.rp_filter', value: '1' }, links)).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.ghost.forwarding', value: '1' }, links)).toMatchObject({ code: 'NOT_ALLOWED' });
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.kvbr0.forwarding', value: '1' }, links)).toBeUndefined();
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '1' }, links)).toBeUndefined();
  });

  it("allows proxy_arp, and only proxy_arp, on a foreign link that is the uplink of a proxy-ARP network in the plan", () => {
    const uplinks = new Set(['eth0']);
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.eth0.proxy_arp', value: '1' }, links, uplinks)).toBeUndefined();
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.eth0.proxy_arp', value: '1' }, links)).toMatchObject({ code: 'NOT_ALLOWED', message: expect.stringContaining('proxy_arp on the uplink of a proxy-ARP network') });
    for (const key of ['net.ipv4.conf.eth0.forwarding', 'net.ipv4.conf.eth0.rp_filter', 'net.ipv6.conf.eth0.forwarding', 'net.ipv6.conf.eth0.accept_ra']) {
      expect(sysctlSet.check({ op: 'sysctl.set', key, value: '1' }, links, uplinks), key).toMatchObject({ code: 'NOT_ALLOWED' });
    }
    expect(sysctlSet.check({ op: 'sysctl.set', key: 'net.ipv4.conf.wlan0.proxy_arp', value: '1' }, links, uplinks)).toMatchObject({ code: 'NOT_ALLOWED' });
  });

  it('counts turning IPv6 off as done on a kernel without IPv6 (ipv6.disable=1), and only that', () => {
    const off = { op: 'sysctl.set', key: 'net.ipv6.conf.kvbr0.disable_ipv6', value: '1' } as const;
    expect(sysctlSet.satisfiedWithoutWrite(off, false)).toMatch(/ipv6\.disable=1/);
    expect(sysctlSet.satisfiedWithoutWrite(off, true)).toBeUndefined();
    expect(sysctlSet.satisfiedWithoutWrite({ ...off, value: '0' }, false)).toBeUndefined();
    expect(sysctlSet.satisfiedWithoutWrite({ op: 'sysctl.set', key: 'net.ipv6.conf.all.forwarding', value: '1' }, false)).toBeUndefined();
    expect(sysctlSet.satisfiedWithoutWrite({ op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }, false)).toBeUndefined();
  });
});
