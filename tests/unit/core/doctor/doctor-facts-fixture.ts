import type { DoctorFacts } from '../../../../main/core/doctor/doctor-facts';
import type { FirewallChain, FirewallRule, RuleMatch } from '../../../../main/core/doctor/firewall-rules';
import type { Link, Route } from '../../../../main/core/host-snapshot';
import type { NetworkRecord } from '../../../../main/core/network/network-record';

/**
 * A healthy laptop as the doctor reads it: user alice in the kvm group; wired eth0 on
 * 192.168.1.0/24 with the default route; libvirt's NAT network "default" on virbr0 with VM "web";
 * KVMNet's direct NAT network "lab" on kvbr0 (10.80.0.0/24) with a guest tap, its dnsmasq and one
 * lease; no firewall rules, no br_netfilter, no NetworkManager. Tests break one thing each.
 */

export function link(name: string, kind: Link['kind'], addresses: [string, number][] = [], extra: Partial<Link> = {}): Link {
  return {
    index: 0,
    name,
    kind,
    mtu: 1500,
    up: true,
    operState: 'UP',
    addresses: addresses.map(([address, prefixLength]) => ({
      family: address.includes(':') ? 'inet6' : 'inet',
      address,
      prefixLength,
      scope: address.startsWith('fe80') ? 'link' : address.startsWith('127.') || address === '::1' ? 'host' : 'global',
    })),
    ...extra,
  };
}

export const route = (dst: string, dev: string, extra: Partial<Route> = {}): Route => ({ family: dst.includes(':') ? 'inet6' : 'inet', dst, dev, ...extra });

export function directRecord(name: string, bridge: string, subnet: string, kind: NetworkRecord['spec']['kind'] = 'nat'): NetworkRecord {
  const base = subnet.replace(/\.0\/\d+$/, '');
  return {
    version: 1,
    spec: {
      name,
      kind,
      backend: 'direct',
      bridge,
      ipv4: kind === 'isolated' ? null : { subnet, gateway: `${base}.1` },
      dhcp: kind === 'isolated' ? null : { start: `${base}.100`, end: `${base}.200` },
      autostart: true,
    },
  };
}

export function healthyFacts(): DoctorFacts {
  return {
    user: { name: 'alice', uid: 1000, gids: [1000, 107] },
    root: true,
    cpuVirtualization: 'vmx',
    devices: {
      kvm: { path: '/dev/kvm', exists: true, mode: 0o660, uid: 0, gid: 107, group: 'kvm' },
      tun: { path: '/dev/net/tun', exists: true, mode: 0o666, uid: 0, gid: 0, group: 'root' },
      vhostNet: { path: '/dev/vhost-net', exists: true, mode: 0o660, uid: 0, gid: 107, group: 'kvm' },
    },
    sysctls: { ipForward: '1', bridgeNfCallIptables: null, bridgeNfCallIp6tables: null, bridgeNfCallArptables: null },
    firewall: {
      nft: { available: true, tables: [], chains: [] },
      iptablesLegacy: { loadedTables: [], filter: null },
      tools: { nft: true, iptables: true, iptablesVariant: 'nf_tables' },
      firewalld: { running: false, zones: [], interfaceZones: {} },
    },
    libvirt: {
      installed: true,
      reachable: true,
      daemon: 'monolithic',
      firewallBackend: null,
      firewalldZoneInstalled: true,
      networks: [{ name: 'default', active: true, managedByKvmnet: false, forwardMode: 'nat', bridge: 'virbr0', subnets: ['192.168.122.0/24'], dhcp: true }],
    },
    snapshot: {
      takenAt: '2024-01-01T00:00:00.000Z',
      hostname: 'laptop',
      links: [
        link('lo', 'loopback', [['127.0.0.1', 8], ['::1', 128]]),
        link('eth0', 'physical', [['192.168.1.23', 24], ['fe80::1e69:7aff:fe01:2345', 64]], { mac: '1c:69:7a:01:23:45' }),
        link('virbr0', 'bridge', [['192.168.122.1', 24]], { mac: '52:54:00:9c:00:01' }),
        link('vnet0', 'tap', [], { master: 'virbr0', mac: 'fe:54:00:aa:bb:01' }),
        link('kvbr0', 'bridge', [['10.80.0.1', 24]], { alias: 'kvmnet:lab', owner: 'lab', mac: '02:4b:00:00:00:01' }),
        link('kvtap0', 'tap', [], { master: 'kvbr0', alias: 'kvmnet:lab', owner: 'lab', mac: '02:4b:00:00:00:02' }),
      ],
      routes: [
        route('default', 'eth0', { gateway: '192.168.1.1', protocol: 'dhcp', metric: 100 }),
        route('192.168.1.0/24', 'eth0', { protocol: 'kernel', scope: 'link' }),
        route('192.168.122.0/24', 'virbr0', { protocol: 'kernel', scope: 'link' }),
        route('10.80.0.0/24', 'kvbr0', { protocol: 'kernel', scope: 'link' }),
        route('192.168.1.23', 'eth0', { table: 'local', scope: 'host' }),
      ],
      libvirt: {
        available: true,
        networks: [{ name: 'default', active: true, autostart: true, persistent: true, bridge: 'virbr0', forwardMode: 'nat', managedByKvmnet: false }],
        domains: [{ name: 'web', state: 'running', interfaces: [{ type: 'network', mac: '52:54:00:aa:bb:01', source: 'default', target: 'vnet0', model: 'virtio' }] }],
      },
    },
    records: [directRecord('lab', 'kvbr0', '10.80.0.0/24')],
    recordProblems: [],
    dnsmasq: [{ network: 'lab', pidFile: '/run/kvmnet/dnsmasq/lab.pid', pid: 4242, process: 'dnsmasq' }],
    leases: [
      { network: 'lab', mac: '52:54:00:aa:bb:02', ip: '10.80.0.150', hostname: 'db' },
      { network: 'default', mac: '52:54:00:aa:bb:01', ip: '192.168.122.20', hostname: 'web' },
    ],
    networkManager: { available: false, reason: 'NetworkManager is not running' },
    proxyArp: {},
  };
}

export function rule(matches: RuleMatch[], verdict: FirewallRule['verdict'], extra: Partial<FirewallRule> = {}): FirewallRule {
  return { matches, verdict, text: `${matches.map((m) => `${m.field} ${m.negate ? '!= ' : ''}${m.values.join(',')}`).join(' ')} ${verdict}`.trim(), ...extra };
}

export const m = (field: RuleMatch['field'], values: string[], extra: Partial<RuleMatch> = {}): RuleMatch => ({ field, negate: false, values, ...extra });

export function chain(name: string, rules: FirewallRule[], extra: Partial<FirewallChain> = {}): FirewallChain {
  return { source: 'nftables', family: 'ip', table: 'filter', name, rules, ...extra };
}

/** `table ip filter { chain forward { type filter hook forward priority 0; policy drop; } }` */
export const dropPolicyForward = (rules: FirewallRule[] = []): FirewallChain => chain('forward', rules, { hook: 'forward', policy: 'drop' });
