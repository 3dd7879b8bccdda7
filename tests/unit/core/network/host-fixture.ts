import type { HostSnapshot, Link, Route } from '../../../../main/core/host-snapshot';
import type { NetworkContext } from '../../../../main/core/network/network-context';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';

/**
 * A laptop as the observer would see it: wired LAN 192.168.1.0/24 on eth0 (default route),
 * Wi-Fi 10.0.5.0/24 on wlan0, Docker's docker0, libvirt's default network on virbr0, and one
 * KVMNet network "lab" on kv-lab with a guest tap.
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

const route = (dst: string, dev: string, extra: Partial<Route> = {}): Route => ({ family: dst.includes(':') ? 'inet6' : 'inet', dst, dev, ...extra });

export const labSpec: NetworkSpec = {
  name: 'lab',
  kind: 'nat',
  backend: 'libvirt',
  bridge: 'kv-lab',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' },
  dhcp: { start: '10.80.0.128', end: '10.80.0.254' },
  autostart: true,
};

export function laptopSnapshot(): HostSnapshot {
  return {
    takenAt: '2024-01-01T00:00:00.000Z',
    hostname: 'laptop',
    links: [
      link('lo', 'loopback', [['127.0.0.1', 8], ['::1', 128]]),
      link('eth0', 'physical', [['192.168.1.23', 24], ['fe80::1e69:7aff:fe01:2345', 64], ['2001:db8:1::23', 64]]),
      link('wlan0', 'wireless', [['10.0.5.7', 24]]),
      link('docker0', 'bridge', [['172.17.0.1', 16]]),
      link('virbr0', 'bridge', [['192.168.122.1', 24]]),
      link('kv-lab', 'bridge', [['10.80.0.1', 24]], { alias: 'kvmnet:lab', owner: 'lab' }),
      link('vnet0', 'tap', [], { master: 'kv-lab' }),
    ],
    routes: [
      route('default', 'eth0', { gateway: '192.168.1.1', protocol: 'dhcp', metric: 100 }),
      route('default', 'wlan0', { gateway: '10.0.5.1', protocol: 'dhcp', metric: 600 }),
      route('192.168.1.0/24', 'eth0', { protocol: 'kernel', scope: 'link' }),
      route('10.0.5.0/24', 'wlan0', { protocol: 'kernel', scope: 'link' }),
      route('172.17.0.0/16', 'docker0', { protocol: 'kernel', scope: 'link' }),
      route('192.168.122.0/24', 'virbr0', { protocol: 'kernel', scope: 'link' }),
      route('10.80.0.0/24', 'kv-lab', { protocol: 'kernel', scope: 'link' }),
      route('2001:db8:1::/64', 'eth0', { protocol: 'ra' }),
      route('fe80::/64', 'eth0', { protocol: 'kernel' }),
      route('::/0', 'eth0', { gateway: 'fe80::1', protocol: 'ra' }),
    ],
    libvirt: {
      available: true,
      networks: [
        { name: 'default', active: true, autostart: true, persistent: true, bridge: 'virbr0', forwardMode: 'nat', managedByKvmnet: false },
        { name: 'lab', active: true, autostart: true, persistent: true, bridge: 'kv-lab', forwardMode: 'nat', managedByKvmnet: true },
      ],
      domains: [],
    },
  };
}

/** tests rewrite parts of the context in place */
export type EditableContext = { -readonly [K in keyof NetworkContext]: NetworkContext[K] };

export function laptopContext(overrides: Partial<NetworkContext> = {}): EditableContext {
  return {
    snapshot: laptopSnapshot(),
    existing: [
      { name: 'default', bridge: 'virbr0', ipv4: { subnet: '192.168.122.0/24' }, managedByKvmnet: false },
      labSpec,
    ],
    libvirtAvailable: true,
    ...overrides,
  };
}
