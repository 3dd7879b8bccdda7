import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../../main/cli/format-status';
import type { HostSnapshot, Link } from '../../../main/core/host-snapshot';

const link = (name: string, extra: Partial<Link>): Link => ({ index: 1, name, kind: 'other', mtu: 1500, up: true, operState: 'UP', addresses: [], ...extra });

const snapshot: HostSnapshot = {
  takenAt: '2025-01-01T00:00:00.000Z',
  hostname: 'laptop',
  links: [
    link('kvbr0', {
      kind: 'bridge', operState: 'DOWN', owner: 'lab',
      addresses: [
        { family: 'inet', address: '10.77.0.1', prefixLength: 24, scope: 'global' },
        { family: 'inet6', address: 'fe80::1', prefixLength: 64, scope: 'link' },
      ],
    }),
    link('kvtap0', { kind: 'tap', master: 'kvbr0', up: false, operState: 'DOWN' }),
    link('kvveth0', { kind: 'veth', peer: 'kvveth1' }),
    link('virbr9', { kind: 'bridge' }),
  ],
  routes: [{ family: 'inet', dst: 'default', gateway: '10.78.0.2', dev: 'kvveth0' }],
  libvirt: { available: false, reason: 'libvirtd is not running (no socket at /var/run/libvirt/libvirt-sock)', networks: [], domains: [] },
};

describe('formatStatus', () => {
  const text = formatStatus(snapshot);
  const line = (start: string) => text.split('\n').find((l) => l.trimStart().startsWith(start)) ?? '';

  it('lists each interface with kind, state, master, owner and addresses (no IPv6 link-local)', () => {
    expect(line('kvbr0 ').trim().split(/\s{2,}/).map((c) => c.trim())).toEqual(['kvbr0', 'bridge', 'no carrier', 'lab', '10.77.0.1/24']);
    expect(line('kvtap0').trim().split(/\s{2,}/).map((c) => c.trim())).toEqual(['kvtap0', 'tap', 'down', 'kvbr0']);
    expect(line('kvveth0')).toContain('veth (peer kvveth1)');
    expect(text).not.toContain('fe80::1');
  });

  it('shows each bridge with its ports', () => {
    expect(text).toMatch(/Bridges\n\s+BRIDGE\s+PORTS\n\s+kvbr0\s+kvtap0\n\s+virbr9\s+\(no ports\)/);
  });

  it('shows the default route and why libvirt is unavailable', () => {
    expect(text).toContain('IPv4 via 10.78.0.2 dev kvveth0');
    expect(text).toContain('Libvirt (qemu:///system): not available: libvirtd is not running');
  });

  it('lists libvirt networks and domains when libvirt answers', () => {
    const withLibvirt = formatStatus({
      ...snapshot,
      libvirt: {
        available: true,
        networks: [{ name: 'default', active: true, autostart: true, persistent: true, bridge: 'virbr0', forwardMode: 'nat', managedByKvmnet: false }],
        domains: [{ name: 'vm1', state: 'running', interfaces: [{ type: 'network', source: 'default', mac: '52:54:00:00:00:01' }] }],
      },
    });
    expect(withLibvirt).toMatch(/default\s+active\s+yes\s+nat\s+virbr0\s+no/);
    expect(withLibvirt).toMatch(/vm1\s+running\s+network default 52:54:00:00:00:01/);
  });
});
