import { describe, expect, it } from 'vitest';
import { libvirtNetworkSpec } from '../../../../main/core/network/libvirt-spec';
import { NetworkSpec } from '../../../../main/core/network/network-spec';
import { parseLibvirtNetworkXml, renderDhcpHostXml, renderLibvirtNetworkXml } from '../../../../main/core/render/libvirt-network-xml';

const spec: NetworkSpec = {
  name: 'lab', kind: 'nat', backend: 'libvirt', bridge: 'virbr5',
  ipv4: { subnet: '10.80.0.0/24', gateway: '10.80.0.1' }, dhcp: { start: '10.80.0.128', end: '10.80.0.254' }, autostart: true,
  forwards: [
    { proto: 'tcp', hostPort: { start: 8080, end: 8080 }, to: { ip: '10.80.0.5', port: { start: 80, end: 80 } } },
    { proto: 'udp', hostPort: { start: 5000, end: 5009 }, to: { ip: '10.80.0.6', port: { start: 6000, end: 6009 } }, hostIp: '192.168.1.23' },
  ],
  reservations: [{ mac: '52:54:00:00:00:05', ip: '10.80.0.5', name: 'web' }, { mac: '52:54:00:00:00:06', ip: '10.80.0.6' }],
};

describe('forwards and reservations in libvirt network XML', () => {
  it('keeps forwards in KVMNet\'s metadata and reservations as <dhcp><host>, and reads both back into the same spec', () => {
    const xml = renderLibvirtNetworkXml(spec);
    expect(xml).toContain('<kvmnet:forward proto="tcp" hostPort="8080" to="10.80.0.5:80"/>');
    expect(xml).toContain('<host mac="52:54:00:00:00:05" ip="10.80.0.5" name="web"/>');
    expect(libvirtNetworkSpec(parseLibvirtNetworkXml(xml), true)).toEqual(spec);
  });

  it('a network without them renders and reads as before', () => {
    const { forwards: _f, reservations: _r, ...plain } = spec;
    const xml = renderLibvirtNetworkXml(plain);
    expect(xml).not.toMatch(/forward proto|<host/);
    expect(libvirtNetworkSpec(parseLibvirtNetworkXml(xml), true)).toEqual(plain);
  });

  it('renders the one <host> element virsh net-update takes', () => {
    expect(renderDhcpHostXml({ mac: '52:54:00:00:00:05', ip: '10.80.0.5', name: 'web' })).toBe('<host mac="52:54:00:00:00:05" ip="10.80.0.5" name="web"/>');
  });
});

describe('NetworkSpec: forwards and reservations', () => {
  it('old records without them still parse', () => {
    const { forwards: _f, reservations: _r, ...old } = spec;
    expect(NetworkSpec.safeParse(old).success).toBe(true);
  });

  it('refuses a forward out of the subnet or on a network that is not nat, and a reservation without DHCP', () => {
    const issues = (s: unknown) => NetworkSpec.safeParse(s).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ ...spec, forwards: [{ ...spec.forwards![0]!, to: { ip: '10.99.0.5', port: { start: 80, end: 80 } } }] }))
      .toEqual(['forwards: forward target 10.99.0.5 is outside the network\'s subnet']);
    expect(issues({ ...spec, kind: 'hostonly', reservations: undefined })).toEqual(['forwards: port forwards are for nat networks; a hostonly network has none']);
    expect(issues({ ...spec, forwards: undefined, dhcp: null })).toEqual(['reservations: a network without DHCP has no reservations']);
  });
});
