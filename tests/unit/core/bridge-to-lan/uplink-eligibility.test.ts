import { describe, expect, it } from 'vitest';
import type { Link, LinkKind } from '../../../../main/core/host-snapshot';
import { linkOwners, uplinkEligibility } from '../../../../main/core/bridge-to-lan/uplink-eligibility';

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
    expect(!verdict.eligible && verdict.reason).toMatch(/^uplink: wlp2s0 is a Wi-Fi link: an 802\.11 station can only send frames from its own MAC address/);
  });

  it('sends bridges and their ports to the existing bridge', () => {
    expect(uplinkEligibility(link('bridge', { name: 'br0' }))).toEqual({
      eligible: false, why: 'bridge', alternatives: ['existing-bridge'],
      reason: 'uplink: br0 is already a bridge: attach guests to it directly, or pick the wired NIC that connects this host to the LAN instead (kvmnet status lists them)',
    });
    expect(uplinkEligibility(link('physical', { master: 'br0' }))).toMatchObject({
      eligible: false, why: 'port', alternatives: ['existing-bridge'], reason: 'uplink: enp3s0 is already a port of br0: attach guests to br0, or bridge br0 instead',
    });
  });

  it('refuses the links KVMNet owns, by alias or by a bridge-to-LAN record, naming the network', () => {
    const links = [
      link('bridge', { name: 'kv-lab', alias: 'kvmnet:lab', owner: 'lab' }),
      link('veth', { name: 'kvshim0', alias: 'kvmnet:lan', owner: 'lan' }),
      link('bridge', { name: 'br-home' }),
      link('physical', { name: 'eth0', master: 'br-home' }),
    ];
    const owners = linkOwners(links, [{ name: 'home', bridge: 'br-home' }]);
    expect(owners).toEqual(new Map([['kv-lab', 'lab'], ['kvshim0', 'lan'], ['br-home', 'home']]));
    expect(uplinkEligibility(links[0]!, owners)).toMatchObject({ eligible: false, why: 'kvmnet', alternatives: ['existing-bridge'], reason: expect.stringMatching(/^uplink: kv-lab is the bridge of KVMNet network lab: attach guests to it directly, or pick the wired NIC/) });
    expect(uplinkEligibility(links[1]!, owners)).toMatchObject({ eligible: false, why: 'kvmnet', alternatives: ['nat'], reason: expect.stringMatching(/^uplink: kvshim0 belongs to KVMNet network lan, not to the LAN: pick the wired NIC/) });
    // NetworkManager's bridge has no alias: the record names it
    expect(uplinkEligibility(links[2]!, owners)).toMatchObject({ why: 'kvmnet', reason: expect.stringMatching(/^uplink: br-home is the bridge of KVMNet network home/) });
    expect(uplinkEligibility(links[3]!, owners)).toMatchObject({ why: 'port', reason: 'uplink: eth0 is already a port of br-home (the bridge of KVMNet network home): attach guests to br-home, or bridge br-home instead' });
    // the alias alone is enough where the caller has no records
    expect(uplinkEligibility(links[1]!)).toMatchObject({ why: 'kvmnet' });
  });

  it('refuses links that carry no LAN', () => {
    for (const kind of ['loopback', 'tap', 'tun', 'wireguard', 'macvlan', 'macvtap'] as const) {
      expect(uplinkEligibility(link(kind))).toMatchObject({ eligible: false, alternatives: ['nat'] });
    }
  });
});
