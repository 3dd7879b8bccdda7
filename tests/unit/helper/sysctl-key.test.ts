import { describe, expect, it } from 'vitest';
import { SysctlKey } from '../../../main/helper/protocol';
import { PER_INTERFACE_SYSCTLS, SysctlPath, perInterfaceSysctlPaths, propagatingForwardingFamily, sysctlTarget } from '../../../main/helper/sysctl-key';

describe('sysctlTarget', () => {
  it.each([
    ['net.ipv4.ip_forward', { path: 'net/ipv4/ip_forward', family: 'ipv4' }],
    ['net.ipv6.conf.all.forwarding', { path: 'net/ipv6/conf/all/forwarding', family: 'ipv6' }],
    ['net.ipv4.conf.kvbr0.proxy_arp', { path: 'net/ipv4/conf/kvbr0/proxy_arp', iface: 'kvbr0', family: 'ipv4' }],
    // a dotted interface name stays one path component (a VLAN such as eth0.10)
    ['net.ipv6.conf.br.10.accept_ra', { path: 'net/ipv6/conf/br.10/accept_ra', iface: 'br.10', family: 'ipv6' }],
    ['net.ipv4.conf.all.forwarding', { path: 'net/ipv4/conf/all/forwarding', iface: 'all', family: 'ipv4' }],
  ])('%s', (key, target) => expect(sysctlTarget(key)).toEqual(target));

  it.each(['kernel.core_pattern', 'net.ipv4.conf.kvbr0.arp_ignore', 'net.ipv4.tcp_syncookies', 'net/ipv4/ip_forward'])('has no target for %s', (key) => {
    expect(sysctlTarget(key)).toBeUndefined();
  });

  it('names the keys whose write the kernel copies to every interface', () => {
    expect(propagatingForwardingFamily(sysctlTarget('net.ipv4.ip_forward')!)).toBe('ipv4');
    expect(propagatingForwardingFamily(sysctlTarget('net.ipv6.conf.all.forwarding')!)).toBe('ipv6');
    expect(propagatingForwardingFamily(sysctlTarget('net.ipv4.conf.kvbr0.forwarding')!)).toBeUndefined();
  });
});

describe('per-interface sysctls', () => {
  it('are all on the protocol allowlist', () => {
    for (const family of ['ipv4', 'ipv6'] as const) {
      for (const setting of PER_INTERFACE_SYSCTLS[family]) expect(SysctlKey.safeParse(`net.${family}.conf.kvbr0.${setting}`).success).toBe(true);
    }
    expect(perInterfaceSysctlPaths('kvbr0')).toHaveLength(6);
  });
});

describe('SysctlPath (what a journal may restore)', () => {
  it.each(['net/ipv4/ip_forward', 'net/ipv4/conf/default/forwarding', 'net/ipv4/conf/eth0/forwarding', 'net/ipv6/conf/kvbr0/disable_ipv6'])('accepts %s', (p) => {
    expect(SysctlPath.safeParse(p).success).toBe(true);
  });
  it.each(['kernel/core_pattern', 'net/ipv4/conf/../forwarding', 'net/ipv4/conf/./forwarding', 'net/ipv4/conf/a/b/forwarding', '/proc/sys/net/ipv4/ip_forward', 'net/ipv4/conf/eth0/arp_ignore'])('refuses %s', (p) => {
    expect(SysctlPath.safeParse(p).success).toBe(false);
  });
});
