import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { renderDnsmasqConf } from '../../../../main/core/render/dnsmasq-conf';

const nat: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'direct', bridge: 'kvbr0',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
};

const lines = (conf: string) => conf.trimEnd().split('\n');

describe('renderDnsmasqConf', () => {
  it('serves DHCP and DNS on the bridge only, with its own pid and lease files, as libvirt configures its dnsmasq', () => {
    expect(renderDnsmasqConf(nat)).toBe(`# dnsmasq for the KVMNet network lab, written by KVMNet at every start: edits are lost.
strict-order
pid-file=/run/kvmnet/dnsmasq/lab.pid
except-interface=lo
bind-dynamic
interface=kvbr0
dhcp-leasefile=/var/lib/kvmnet/dnsmasq/lab.leases
dhcp-range=10.80.0.128,10.80.0.254,255.255.255.0,1h
dhcp-hostsfile=/run/kvmnet/dnsmasq/lab.hosts
dhcp-lease-max=127
dhcp-no-override
dhcp-authoritative
`);
  });

  it('answers for the network\'s domain itself and names guests in it', () => {
    expect(lines(renderDnsmasqConf({ ...nat, domain: 'lab.internal' }))).toEqual(expect.arrayContaining(['local=/lab.internal/', 'domain=lab.internal', 'expand-hosts']));
  });

  it('gives host-only guests no default route, no upstream DNS and no IPv6 default router', () => {
    const conf = lines(renderDnsmasqConf({ ...nat, kind: 'hostonly', ipv6: { subnet: 'fd80::/64', gateway: 'fd80::1', dhcp: null } }));
    expect(conf).toEqual(expect.arrayContaining(['no-resolv', 'dhcp-option=3', 'ra-param=*,0,0']));
    expect(lines(renderDnsmasqConf(nat))).not.toContain('no-resolv');
  });

  it('advertises IPv6 by SLAAC only, or with a DHCPv6 range, and counts both ranges in the lease limit', () => {
    const slaac = lines(renderDnsmasqConf({ ...nat, ipv6: { subnet: 'fd80::/64', gateway: 'fd80::1', dhcp: null } }));
    expect(slaac).toEqual(expect.arrayContaining(['dhcp-range=fd80::1,ra-only', 'enable-ra', 'dhcp-lease-max=127']));
    const dhcp6 = lines(renderDnsmasqConf({ ...nat, ipv6: { subnet: 'fd80::/64', gateway: 'fd80::1', dhcp: { start: 'fd80::100', end: 'fd80::1ff' } } }));
    expect(dhcp6).toEqual(expect.arrayContaining(['dhcp-range=fd80::100,fd80::1ff,64,1h', 'enable-ra', 'dhcp-lease-max=383']));
  });

  it('without DHCP, serves DNS only and claims no authority over leases', () => {
    const conf = renderDnsmasqConf({ ...nat, dhcp: null });
    expect(conf).not.toMatch(/dhcp-range|dhcp-authoritative|dhcp-lease-max/);
    expect(conf).toContain('interface=kvbr0');
  });

  it('uses the netmask of the subnet\'s prefix', () => {
    expect(renderDnsmasqConf({ ...nat, ipv4: { subnet: '10.80.0.0/29', gateway: '10.80.0.6' }, dhcp: { start: '10.80.0.1', end: '10.80.0.5' } }))
      .toContain('dhcp-range=10.80.0.1,10.80.0.5,255.255.255.248,1h\ndhcp-hostsfile=/run/kvmnet/dnsmasq/lab.hosts\ndhcp-lease-max=5\n');
  });

  it('refuses an isolated network, which has no address to serve from, and a spec that is not one', () => {
    expect(() => renderDnsmasqConf({ name: 'iso', kind: 'isolated', backend: 'direct', bridge: 'kviso0', ipv4: null, dhcp: null, autostart: true })).toThrow(/isolated/);
    expect(() => renderDnsmasqConf({ ...nat, domain: 'x\nconf-file=/etc/shadow' })).toThrow();
  });
});
