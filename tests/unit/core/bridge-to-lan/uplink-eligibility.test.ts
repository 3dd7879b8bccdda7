import { describe, expect, it } from 'vitest';
import type { Link, LinkKind } from '../../../../main/core/host-snapshot';
import { uplinkEligibility } from '../../../../main/core/bridge-to-lan/uplink-eligibility';

const link = (kind: LinkKind, extra: Partial<Link> = {}): Link => ({
  index: 2, name: kind === 'wireless' ? 'wlp2s0' : 'enp3s0', kind, mtu: 1500, up: true, operState: 'UP', addresses: [], ...extra,
});

describe('uplinkEligibility', () => {
  it('accepts wired links: NICs, bonds, VLANs and the veths of containers and labs', () => {
    for (const kind of ['physical', 'bond', 'vlan', 'veth', 'other'] as const) expect(uplinkEligibility(link(kind))).toEqual({ eligible: true });
  });

  it('refuses Wi-Fi, says why, and offers NAT or routed + proxy ARP', () => {
    const verdict = uplinkEligibility(link('wireless'));
    expect(verdict).toMatchObject({ eligible: false, alternatives: ['nat', 'routed-proxy-arp'] });
    expect(!verdict.eligible && verdict.reason).toMatch(/^wlp2s0 is a Wi-Fi link: an 802\.11 station can only send frames from its own MAC address/);
  });

  it('sends bridges and their ports to the existing bridge', () => {
    expect(uplinkEligibility(link('bridge', { name: 'br0' }))).toEqual({
      eligible: false, reason: 'br0 is already a bridge: attach guests to it directly', alternatives: ['existing-bridge'],
    });
    expect(uplinkEligibility(link('physical', { master: 'br0' }))).toMatchObject({ eligible: false, alternatives: ['existing-bridge'] });
  });

  it('refuses links that carry no LAN', () => {
    for (const kind of ['loopback', 'tap', 'tun', 'wireguard', 'macvlan', 'macvtap'] as const) {
      expect(uplinkEligibility(link(kind))).toMatchObject({ eligible: false, alternatives: ['nat'] });
    }
  });
});
