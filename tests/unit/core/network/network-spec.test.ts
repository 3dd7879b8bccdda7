import { describe, expect, it } from 'vitest';
import { NetworkDraft, NetworkSpec } from '../../../../main/core/network/network-spec';
import { labSpec } from './host-fixture';

const messages = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('NetworkSpec', () => {
  it('accepts a complete network', () => {
    expect(NetworkSpec.parse(labSpec)).toEqual(labSpec);
  });

  it('is also a valid draft', () => {
    expect(NetworkDraft.safeParse(labSpec).success).toBe(true);
  });

  it.each([
    ['a routed network without uplink', { ...labSpec, kind: 'routed' }, 'uplink: a routed network needs an uplink'],
    ['a NAT network without ipv4', { ...labSpec, ipv4: null, dhcp: null }, 'ipv4: a nat network needs ipv4'],
    ['an isolated network with ipv4', { ...labSpec, kind: 'isolated', dhcp: null }, 'ipv4: an isolated network has no host address'],
    ['a host-only network with uplink', { ...labSpec, kind: 'hostonly', uplink: 'eth0' }, 'uplink: a hostonly network forwards nothing'],
    ['a missing field', { ...labSpec, autostart: undefined }, 'autostart: must be true or false'],
    ['an unknown field', { ...labSpec, vlan: 5 }, 'Unrecognized key: "vlan"'],
    ['a subnet with host bits', { ...labSpec, ipv4: { subnet: '10.80.0.1/24', gateway: '10.80.0.1' } }, 'ipv4.subnet: "10.80.0.1/24" names an address inside a subnet; write the subnet itself: 10.80.0.0/24'],
  ])('refuses %s', (_what, input, expected) => {
    const found = messages(NetworkSpec.safeParse(input));
    expect(found.some((m) => m.startsWith(expected) || m.includes(expected)), found.join('\n')).toBe(true);
  });
});

describe('NetworkDraft', () => {
  it('needs only a name', () => {
    expect(NetworkDraft.parse({ name: 'lab' })).toEqual({ name: 'lab' });
  });

  it('tells "none" (null) from "default" (left out)', () => {
    expect(NetworkDraft.parse({ name: 'lab', dhcp: null, ipv4: null })).toEqual({ name: 'lab', dhcp: null, ipv4: null });
  });
});
