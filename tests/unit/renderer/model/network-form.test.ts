import { describe, expect, it } from 'vitest';
import { draftFromForm, emptyForm, formFieldOf, messageUnderField, type NetworkForm } from '../../../../renderer/src/model/network-form';

const form = (changes: Partial<NetworkForm> & { mode?: 'nat' | 'hostonly' | 'isolated' | 'routed' }) => ({ ...emptyForm(), ...changes }) as NetworkForm & { mode: 'nat' };

describe('draftFromForm', () => {
  it('leaves empty fields out, so the core picks their defaults', () => {
    expect(draftFromForm(form({ name: ' lab ' }))).toEqual({ name: 'lab', kind: 'nat', autostart: true });
  });

  it('passes what the user typed, even in the wrong shape, for the validator to name', () => {
    expect(draftFromForm(form({ name: 'lab', subnet: '10.80.0.0/24', dhcpStart: '10.80.0.10', dhcpEnd: 'x', mtu: '9k', domain: 'lab.internal', backend: 'direct', bridge: 'br-lab', uplink: 'eth0' }))).toEqual({
      name: 'lab', kind: 'nat', autostart: true, backend: 'direct', bridge: 'br-lab', uplink: 'eth0', mtu: '9k',
      ipv4: { subnet: '10.80.0.0/24' }, dhcp: { start: '10.80.0.10', end: 'x' }, domain: 'lab.internal',
    });
    expect(draftFromForm(form({ name: 'lab', mtu: '9000' })).mtu).toBe(9000);
  });

  it('says "no DHCP" with null, and turns IPv6 on with defaults as {}', () => {
    expect(draftFromForm(form({ name: 'lab', dhcpEnabled: false, ipv6Enabled: true }))).toMatchObject({ dhcp: null, ipv6: {} });
  });

  it('keeps an isolated network to what it can have: no addresses, no uplink, no domain', () => {
    expect(draftFromForm(form({ mode: 'isolated', name: 'iso', subnet: '10.1.0.0/24', uplink: 'eth0', domain: 'x.internal', ipv6Enabled: true }))).toEqual({ name: 'iso', kind: 'isolated', autostart: true });
  });

  it('drops the uplink of a host-only network', () => {
    expect(draftFromForm(form({ mode: 'hostonly', name: 'ho', uplink: 'eth0' }))).not.toHaveProperty('uplink');
  });
});

describe('formFieldOf', () => {
  it.each([
    ['ipv4.subnet', 'subnet'], ['ipv4.gateway', 'subnet'], ['dhcp', 'dhcpStart'], ['dhcp.end', 'dhcpEnd'], ['ipv6.subnet', 'ipv6Subnet'], ['mtu', 'mtu'], ['kind', 'general'],
  ])('puts an issue on %s under %s', (issue, field) => expect(formFieldOf(issue)).toBe(field));
});

describe('messageUnderField', () => {
  it('drops the field path before a value, which the label next to the input already names', () => {
    expect(messageUnderField('ipv4.subnet', 'ipv4.subnet 10.77.0.0/24 overlaps the host route 10.77.0.0/24 on kvbr0; pick another')).toBe('10.77.0.0/24 overlaps the host route 10.77.0.0/24 on kvbr0; pick another');
    expect(messageUnderField('name', 'name "demo" is already used')).toBe('"demo" is already used');
    expect(messageUnderField('mtu', 'mtu: 12 is below 68')).toBe('12 is below 68');
  });

  it('keeps a message whose field is its subject', () => {
    expect(messageUnderField('uplink', 'uplink is required for a routed network')).toBe('uplink is required for a routed network');
    expect(messageUnderField('dhcp', 'dhcp is set but ipv4.subnet is not')).toBe('dhcp is set but ipv4.subnet is not');
  });
});
