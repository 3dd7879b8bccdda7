import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../../../main/core/host-snapshot';
import { completeDraft } from '../../../../main/core/network/defaults';
import { NetworkInputError } from '../../../../main/core/network/field-issue';
import type { NetworkContext } from '../../../../main/core/network/network-context';
import { validateNetwork } from '../../../../main/core/network/validate-network';
import { laptopContext, link } from './host-fixture';

const vpnRoute = (dst: string) => ({ family: 'inet' as const, dst, dev: 'tun0', protocol: 'static' });

function withRoutes(...dsts: string[]): NetworkContext {
  const c = laptopContext();
  c.snapshot.links.push(link('tun0', 'tun', [['10.255.0.2', 32]]));
  c.snapshot.routes.push(...dsts.map(vpnRoute));
  return c;
}

const subnetFor = (c: NetworkContext, name = 'dev') => completeDraft({ name }, c).ipv4?.subnet;

describe('completeDraft', () => {
  it('fills every default for a bare name', () => {
    expect(completeDraft({ name: 'dev' }, laptopContext())).toEqual({
      name: 'dev',
      kind: 'nat',
      backend: 'libvirt',
      bridge: 'kv-dev',
      ipv4: { subnet: '10.80.1.0/24', gateway: '10.80.1.1' },
      dhcp: { start: '10.80.1.128', end: '10.80.1.254' },
      autostart: true,
    });
  });

  it('gives the same answer for the same inputs, in whatever order the host lists them', () => {
    const a = laptopContext();
    const b = laptopContext();
    b.snapshot.links.reverse();
    b.snapshot.routes.reverse();
    (b.existing as unknown[]).reverse();
    const draft = { name: 'dev', ipv6: {} };
    expect(completeDraft(draft, a)).toEqual(completeDraft(draft, b));
    expect(completeDraft(draft, a)).toEqual(completeDraft(draft, laptopContext()));
  });

  describe('picks a free /24', () => {
    it('starting at 10.80.0.0/24 on an empty host', () => {
      const c = laptopContext({ existing: [] });
      c.snapshot = { ...c.snapshot, links: c.snapshot.links.filter((l) => l.name === 'lo'), routes: [] } satisfies HostSnapshot;
      expect(subnetFor(c)).toBe('10.80.0.0/24');
    });

    it('past a VPN route covering part of the pool', () => {
      expect(subnetFor(withRoutes('10.80.0.0/16'))).toBe('10.81.0.0/24');
    });

    it('past a host route to a single address', () => {
      expect(subnetFor(withRoutes('10.80.1.77'))).toBe('10.80.2.0/24');
    });

    it('past an address that has no route of its own', () => {
      const c = laptopContext();
      c.snapshot.links.push(link('wg0', 'wireguard', [['10.80.1.9', 32]]));
      expect(subnetFor(c)).toBe('10.80.2.0/24');
    });

    it('past the subnet of a network that is not running', () => {
      const c = laptopContext();
      c.existing = [...c.existing, { name: 'old', ipv4: { subnet: '10.80.1.0/25' } }];
      expect(subnetFor(c)).toBe('10.80.2.0/24');
    });

    it('past blocks Podman and CRI-O commonly use, even when absent', () => {
      expect(subnetFor(withRoutes('10.80.0.0/14', '10.84.0.0/16'))).toBe('10.86.0.0/24');
      expect(subnetFor(withRoutes('10.80.0.0/14', '10.84.0.0/15', '10.86.0.0/15'))).toBe('10.90.0.0/24');
    });

    it('in the fallback pool when a VPN routes all of 10/8', () => {
      expect(subnetFor(withRoutes('10.0.0.0/8'))).toBe('192.168.128.0/24');
      expect(subnetFor(withRoutes('10.0.0.0/8', '192.168.128.0/20'))).toBe('192.168.144.0/24');
    });

    it('that passes validation, for a run of networks created one after another', () => {
      const c = laptopContext();
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        const spec = completeDraft({ name: `net${i}` }, c);
        expect(validateNetwork(spec, c)).toEqual([]);
        made.push(spec.ipv4?.subnet as string);
        c.existing = [...c.existing, spec];
      }
      expect(made).toEqual(['10.80.1.0/24', '10.80.2.0/24', '10.80.3.0/24', '10.80.4.0/24', '10.80.5.0/24']);
    });

    it('or says which field to set when both pools are used up', () => {
      const c = withRoutes('10.0.0.0/8', '192.168.0.0/16');
      expect(() => completeDraft({ name: 'dev' }, c)).toThrow(NetworkInputError);
      try {
        completeDraft({ name: 'dev' }, c);
      } catch (e) {
        expect((e as NetworkInputError).field).toBe('ipv4.subnet');
        expect((e as NetworkInputError).message).toMatch(/no free \/24 is left in 10\.80\.0\.0\/12 or 192\.168\.128\.0\/17.*set ipv4\.subnet/);
      }
    });
  });

  it('uses the direct backend when libvirt is not available', () => {
    expect(completeDraft({ name: 'dev' }, laptopContext({ libvirtAvailable: false })).backend).toBe('direct');
  });

  it('keeps what the draft says', () => {
    const draft = {
      name: 'dev', kind: 'routed', backend: 'direct', bridge: 'br-dev', uplink: 'wlan0', autostart: false, mtu: 9000,
      domain: 'dev.internal', ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.254' }, dhcp: { start: '10.81.0.10', end: '10.81.0.20' },
    } as const;
    expect(completeDraft(draft, laptopContext())).toEqual(draft);
  });

  it('keeps DHCP off when the draft says null', () => {
    expect(completeDraft({ name: 'dev', dhcp: null }, laptopContext()).dhcp).toBeNull();
  });

  it('moves the default DHCP range off a gateway in the upper half', () => {
    const spec = completeDraft({ name: 'dev', ipv4: { subnet: '10.81.0.0/24', gateway: '10.81.0.254' } }, laptopContext());
    expect(spec.dhcp).toEqual({ start: '10.81.0.128', end: '10.81.0.253' });
  });

  it('fits DHCP into a /30', () => {
    const spec = completeDraft({ name: 'dev', ipv4: { subnet: '10.81.0.4/30' } }, laptopContext());
    expect(spec.ipv4).toEqual({ subnet: '10.81.0.4/30', gateway: '10.81.0.5' });
    expect(spec.dhcp).toEqual({ start: '10.81.0.6', end: '10.81.0.6' });
  });

  it('gives an isolated network no addresses', () => {
    const spec = completeDraft({ name: 'dev', kind: 'isolated' }, laptopContext());
    expect(spec).toMatchObject({ kind: 'isolated', ipv4: null, dhcp: null });
    expect(spec.ipv6).toBeUndefined();
  });

  it('derives a bridge name clear of host links', () => {
    const c = laptopContext();
    c.snapshot.links.push(link('kv-dev', 'dummy'));
    expect(completeDraft({ name: 'dev' }, c).bridge).toBe('kv-dev-2');
  });

  describe('IPv6', () => {
    it('is off unless asked for', () => {
      expect(completeDraft({ name: 'dev' }, laptopContext()).ipv6).toBeUndefined();
    });

    it('gets a unique local /64 from host and network name, gateway ::1 and SLAAC', () => {
      const spec = completeDraft({ name: 'dev', ipv6: {} }, laptopContext());
      expect(spec.ipv6?.subnet).toMatch(/^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/64$/);
      expect(spec.ipv6?.gateway).toBe(spec.ipv6?.subnet.replace('/64', '1'));
      expect(spec.ipv6?.dhcp).toBeNull();
      const other = completeDraft({ name: 'dev2', ipv6: {} }, laptopContext());
      expect(other.ipv6?.subnet).not.toBe(spec.ipv6?.subnet);
    });

    it('moves to the next subnet ID when the derived /64 is taken', () => {
      const first = completeDraft({ name: 'dev', ipv6: {} }, laptopContext()).ipv6?.subnet as string;
      const c = laptopContext();
      c.existing = [...c.existing, { name: 'v6', ipv6: { subnet: first } }];
      const second = completeDraft({ name: 'dev', ipv6: {} }, c).ipv6?.subnet as string;
      expect(second).not.toBe(first);
      expect(second.replace(/:1::\/64$/, '')).toBe(first.replace(/::\/64$/, ''));
    });

    it('writes given addresses in canonical form', () => {
      const spec = completeDraft({ name: 'dev', ipv6: { subnet: 'FD00:0:0:1::/64', gateway: 'fd00:0000:0:1::0001' } }, laptopContext());
      expect(spec.ipv6).toEqual({ subnet: 'fd00:0:0:1::/64', gateway: 'fd00:0:0:1::1', dhcp: null });
    });
  });

  it('refuses an invalid draft with every issue and no spec', () => {
    let thrown: unknown;
    try {
      completeDraft({ name: 'lab', kind: 'routed' }, laptopContext());
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(NetworkInputError);
    expect((thrown as NetworkInputError).issues.map((i) => i.field)).toEqual(['name', 'uplink']);
  });
});
