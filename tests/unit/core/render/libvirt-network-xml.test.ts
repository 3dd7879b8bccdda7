import { describe, expect, it } from 'vitest';
import { KVMNET_XMLNS } from '../../../../main/core/libvirt-metadata';
import type { NetworkSpec } from '../../../../main/core/network/network-spec';
import { parseLibvirtNetworkXml, renderLibvirtNetworkXml } from '../../../../main/core/render/libvirt-network-xml';
import type { ExistingNetwork, NetworkContext } from '../../../../main/core/network/network-context';
import { validateNetwork } from '../../../../main/core/network/validate-network';
import { link } from '../network/host-fixture';
import { specMatrix } from './spec-matrix';

const nat: NetworkSpec = {
  name: 'dev',
  kind: 'nat',
  backend: 'libvirt',
  bridge: 'kv-dev',
  ipv4: { subnet: '10.80.1.0/24', gateway: '10.80.1.1' },
  dhcp: { start: '10.80.1.128', end: '10.80.1.254' },
  autostart: true,
};

describe('renderLibvirtNetworkXml', () => {
  it('writes a NAT network in the order virsh net-dumpxml uses', () => {
    expect(renderLibvirtNetworkXml(nat, { uuid: '3e3fce45-4f53-4fa7-bb32-11f34168b82b' })).toBe(
      [
        '<network>',
        '  <name>dev</name>',
        '  <uuid>3e3fce45-4f53-4fa7-bb32-11f34168b82b</uuid>',
        '  <metadata>',
        `    <kvmnet:network xmlns:kvmnet="${KVMNET_XMLNS}" kind="nat" version="1"/>`,
        '  </metadata>',
        '  <forward mode="nat">',
        '    <nat>',
        '      <port start="1024" end="65535"/>',
        '    </nat>',
        '  </forward>',
        '  <bridge name="kv-dev" stp="on" delay="0"/>',
        '  <ip address="10.80.1.1" netmask="255.255.255.0">',
        '    <dhcp>',
        '      <range start="10.80.1.128" end="10.80.1.254"/>',
        '    </dhcp>',
        '  </ip>',
        '</network>',
        '',
      ].join('\n'),
    );
  });

  it('leaves the uuid to libvirt unless one is given', () => {
    expect(renderLibvirtNetworkXml(nat)).not.toContain('<uuid>');
  });

  it('pins NAT to an uplink only when one is set', () => {
    expect(renderLibvirtNetworkXml({ ...nat, uplink: 'wlan0' })).toContain('<forward mode="nat" dev="wlan0">');
  });

  it('masquerades IPv6 too on a NAT network that has it', () => {
    const xml = renderLibvirtNetworkXml({ ...nat, ipv6: { subnet: 'fd00:1::/64', gateway: 'fd00:1::1', dhcp: { start: 'fd00:1::100', end: 'fd00:1::1ff' } } });
    expect(xml).toContain('<nat ipv6="yes">');
    expect(xml).toContain('<ip family="ipv6" address="fd00:1::1" prefix="64">');
    expect(xml).toContain('<range start="fd00:1::100" end="fd00:1::1ff"/>');
  });

  it('routes through the uplink without NAT', () => {
    const xml = renderLibvirtNetworkXml({ ...nat, kind: 'routed', uplink: 'eth0' });
    expect(xml).toContain('<forward mode="route" dev="eth0"/>');
    expect(xml).not.toContain('<nat');
    expect(xml).toContain('kind="routed"');
  });

  it('gives a host-only network an address and DHCP but no forward', () => {
    const xml = renderLibvirtNetworkXml({ ...nat, kind: 'hostonly' });
    expect(xml).not.toContain('<forward');
    expect(xml).toContain('<ip address="10.80.1.1" netmask="255.255.255.0">');
    expect(xml).toContain('<range start="10.80.1.128" end="10.80.1.254"/>');
  });

  it('gives an isolated network neither forward nor host address', () => {
    const xml = renderLibvirtNetworkXml({ ...nat, kind: 'isolated', ipv4: null, dhcp: null });
    expect(xml).not.toContain('<forward');
    expect(xml).not.toContain('<ip');
    expect(xml).toContain('<bridge name="kv-dev" stp="on" delay="0"/>');
    expect(xml).toContain('kind="isolated"');
  });

  it('writes MTU, a local-only domain, and no DHCP when there is none', () => {
    const xml = renderLibvirtNetworkXml({ ...nat, mtu: 9000, domain: 'dev.internal', dhcp: null });
    expect(xml).toContain('<mtu size="9000"/>');
    expect(xml).toContain('<domain name="dev.internal" localOnly="yes"/>');
    expect(xml).toContain('<ip address="10.80.1.1" netmask="255.255.255.0"/>');
    expect(xml).not.toContain('<dhcp');
  });

  it('writes the netmask of other prefix lengths', () => {
    expect(renderLibvirtNetworkXml({ ...nat, ipv4: { subnet: '10.81.0.4/30', gateway: '10.81.0.5' }, dhcp: null })).toContain(
      '<ip address="10.81.0.5" netmask="255.255.255.252"/>',
    );
  });

  it.each<[string, unknown, RegExp]>([
    ['markup in a name', { ...nat, name: 'a<b>' }, /only letters, digits/],
    ['a routed network without uplink', { ...nat, kind: 'routed' }, /routed network needs an uplink/],
    ['an isolated network with an address', { ...nat, kind: 'isolated' }, /isolated network has no host address/],
  ])('refuses %s rather than writing it', (_what, spec, message) => {
    expect(() => renderLibvirtNetworkXml(spec as NetworkSpec)).toThrow(message);
  });

  it('refuses a malformed uuid', () => {
    expect(() => renderLibvirtNetworkXml(nat, { uuid: "x' /><evil" })).toThrow(/uuid must look like/);
  });
});

describe('the spec matrix', () => {
  it.each(specMatrix.map((s) => [s.label, s.spec] as const))('holds valid networks only: %s', (_label, spec) => {
    const emptyHost: NetworkContext = {
      snapshot: { takenAt: '', hostname: 'h', links: [link('eth0', 'physical')], routes: [], libvirt: { available: true, networks: [], domains: [] } },
      existing: [],
      libvirtAvailable: true,
    };
    expect(validateNetwork(spec, emptyHost)).toEqual([]);
  });
});

describe('parseLibvirtNetworkXml', () => {
  it.each(specMatrix.map((s) => [s.label, s.spec] as const))('reads back what was rendered: %s', (_label, spec) => {
    const uuid = '6579db1f-ca49-4e51-a116-c1342cd5d47a';
    const parsed = parseLibvirtNetworkXml(renderLibvirtNetworkXml(spec, { uuid }));
    expect(parsed).toEqual({
      name: spec.name,
      uuid,
      managedByKvmnet: true,
      metadataVersion: 1,
      ...(spec.kind === 'nat' && { forwardMode: 'nat' }),
      ...(spec.kind === 'routed' && { forwardMode: 'route' }),
      kind: spec.kind,
      bridge: spec.bridge,
      ...(spec.uplink && { uplink: spec.uplink }),
      ipv4: spec.ipv4,
      dhcp: spec.dhcp,
      ...(spec.ipv6 && { ipv6: spec.ipv6 }),
      ...(spec.domain && { domain: spec.domain }),
      ...(spec.mtu && { mtu: spec.mtu }),
      additionalSubnets: [],
      ...(spec.reservations && { reservations: spec.reservations }),
      ...(spec.forwards && { forwards: spec.forwards }),
    });
  });

  it("reads libvirt's default network as the seeds show it", () => {
    const xml = `<network>
  <name>default</name>
  <uuid>f6514662-26e5-431e-8544-fd216bed9312</uuid>
  <forward mode='nat'/>
  <bridge name='virbr0' stp='on' delay='0'/>
  <mac address='52:54:00:53:d4:ee'/>
  <ip address='192.168.122.1' netmask='255.255.255.0'>
    <dhcp>
      <range start='192.168.122.2' end='192.168.122.254'/>
    </dhcp>
  </ip>
</network>`;
    expect(parseLibvirtNetworkXml(xml)).toEqual({
      name: 'default',
      uuid: 'f6514662-26e5-431e-8544-fd216bed9312',
      managedByKvmnet: false,
      forwardMode: 'nat',
      kind: 'nat',
      bridge: 'virbr0',
      ipv4: { subnet: '192.168.122.0/24', gateway: '192.168.122.1' },
      dhcp: { start: '192.168.122.2', end: '192.168.122.254' },
      additionalSubnets: [],
    });
  });

  it('infers kinds of foreign networks from their forward mode and addresses', () => {
    const net = (body: string) => parseLibvirtNetworkXml(`<network><name>n</name>${body}</network>`);
    expect(net(`<forward mode='route'/><ip address='192.168.132.1' netmask='255.255.255.0'></ip>`)).toMatchObject({ kind: 'routed', dhcp: null });
    expect(net(`<bridge name='virbr0'/>`)).toMatchObject({ kind: 'isolated', ipv4: null });
    expect(net(`<ip address='10.9.0.1' prefix='24'/>`)).toMatchObject({ kind: 'hostonly', ipv4: { subnet: '10.9.0.0/24', gateway: '10.9.0.1' } });
    expect(net('<forward/>')).toMatchObject({ kind: 'nat', forwardMode: 'nat' });
    const bridged = net(`<forward mode='bridge'/><bridge name='mybridge0'/>`);
    expect(bridged).toMatchObject({ forwardMode: 'bridge', bridge: 'mybridge0' });
    expect(bridged.kind).toBeUndefined();
  });

  it('keeps every subnet of a network with several addresses', () => {
    const parsed = parseLibvirtNetworkXml(`<network><name>n</name>
      <ip address='10.1.2.3'/>
      <ip address='192.168.7.1' netmask='255.255.255.128'/>
      <ip family='ipv6' address='fd00:5::1' prefix='64'/>
      <ip family='ipv6' address='fd00:6::1' prefix='64'/>
    </network>`);
    // without netmask or prefix, libvirt falls back to the address class: 10.x is class A
    expect(parsed.ipv4).toEqual({ subnet: '10.0.0.0/8', gateway: '10.1.2.3' });
    expect(parsed.ipv6).toEqual({ subnet: 'fd00:5::/64', gateway: 'fd00:5::1', dhcp: null });
    expect(parsed.additionalSubnets).toEqual(['192.168.7.0/25', 'fd00:6::/64']);
  });

  it("finds KVMNet's metadata by namespace, not by prefix", () => {
    const withMeta = (el: string) => parseLibvirtNetworkXml(`<network><name>n</name><metadata>${el}</metadata></network>`);
    expect(withMeta(`<k:network xmlns:k="${KVMNET_XMLNS}" kind="hostonly" version="1"/>`)).toMatchObject({ managedByKvmnet: true, kind: 'hostonly' });
    expect(withMeta(`<network xmlns="${KVMNET_XMLNS}" kind="routed"/>`)).toMatchObject({ managedByKvmnet: true, kind: 'routed' });
    expect(withMeta(`<kvmnet:network xmlns:kvmnet="https://example.invalid/other" kind="nat"/>`).managedByKvmnet).toBe(false);
    expect(withMeta(`<other:thing xmlns:other="https://example.invalid/x"/>`).managedByKvmnet).toBe(false);
  });

  it('gives planning a foreign network to stay clear of', () => {
    const parsed = parseLibvirtNetworkXml(`<network><name>default</name><bridge name='virbr0'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>`);
    const existing: ExistingNetwork = parsed;
    const context: NetworkContext = {
      snapshot: { takenAt: '', hostname: 'h', links: [link('eth0', 'physical')], routes: [], libvirt: { available: true, networks: [], domains: [] } },
      existing: [existing],
      libvirtAvailable: true,
    };
    expect(validateNetwork({ name: 'dev', bridge: 'virbr0', ipv4: { subnet: '192.168.122.0/25' } }, context)).toEqual([
      { field: 'bridge', message: expect.stringMatching(/already the bridge of the libvirt network "default"/) },
      { field: 'ipv4.subnet', message: expect.stringMatching(/overlaps the subnet 192\.168\.122\.0\/24 of the libvirt network "default"; pick another, e\.g\. 10\.80\.0\.0\/24$/) },
    ]);
  });

  it('decodes entities', () => {
    expect(parseLibvirtNetworkXml('<network><name>a&amp;b</name></network>').name).toBe('a&b');
  });

  it.each([
    ['a domain definition', '<domain><name>vm</name></domain>'],
    ['a network without name', '<network><bridge name="x"/></network>'],
    ['plain text', 'not xml at all'],
    ['malformed XML', '<network><name>n</name>'],
  ])('refuses %s', (_what, xml) => {
    expect(() => parseLibvirtNetworkXml(xml)).toThrow(/not a libvirt network definition/);
  });
});
