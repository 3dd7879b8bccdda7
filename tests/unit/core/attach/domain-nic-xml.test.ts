import { describe, expect, it } from 'vitest';
import { domainNicXml, NicXml, nicXmlProblem } from '../../../../main/core/attach/domain-nic-xml';

const MAC = '52:54:00:70:66:09';
const SOURCE = { type: 'network', network: 'lab' } as const;

const NIC = `<interface type='network'>
      <mac address='52:54:00:70:66:09'/>
      <source network='lab'/>
      <model type='virtio'/>
      <driver name='qemu' queues='2'><host csum='off'/></driver>
      <link state='down'/>
      <mtu size='1400'/>
      <filterref filter='clean-traffic'><parameter name='IP' value='10.80.0.5'/></filterref>
      <boot order='2'/>
      <address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/>
    </interface>`;

const domain = (devices: string) => `<domain type='qemu'><name>vm</name><devices>
    <interface type='bridge'><mac address='52:54:00:70:66:01'/><source bridge='br0'/></interface>
    ${devices}
  </devices></domain>`;

const nic = (inside: string, type = 'network') => `<interface type='${type}'><mac address='${MAC}'/><source network='lab'/>${inside}</interface>`;

describe('domainNicXml', () => {
  it('writes out the NIC with that MAC on its own, every child and attribute kept, in order', () => {
    const xml = domainNicXml(domain(NIC), MAC)!;
    expect(xml.startsWith('<interface type="network">')).toBe(true);
    for (const part of ['<address type="pci" domain="0x0000" bus="0x00" slot="0x07" function="0x0"/>', '<boot order="2"/>', '<driver name="qemu" queues="2">', '<host csum="off"/>', '<link state="down"/>', '<mtu size="1400"/>', '<parameter name="IP" value="10.80.0.5"/>']) {
      expect(xml).toContain(part);
    }
    expect(xml.indexOf('<model')).toBeLessThan(xml.indexOf('<boot'));
    expect(xml).not.toContain('br0');
    expect(nicXmlProblem(xml, { mac: MAC, source: SOURCE })).toBeUndefined();
  });

  it('finds the MAC whatever case libvirt wrote it in, and nothing when no NIC has it', () => {
    expect(domainNicXml(domain(NIC.replace(MAC, MAC.toUpperCase())), MAC)).toContain('slot="0x07"');
    expect(domainNicXml(domain(NIC), '52:54:00:70:66:0a')).toBeUndefined();
  });
});

describe('nicXmlProblem: only one NIC of KVMNet\'s kinds, nothing that reaches outside it', () => {
  const expected = { mac: MAC, source: SOURCE };

  it.each([
    ['a script run as root', nic("<script path='/etc/qemu-ifup'/>"), /<script>/],
    ['a tap or vhost device of the host', nic("<backend tap='/dev/net/tun' vhost='/dev/vhost-net'/>"), /<backend>/],
    ['a ROM file', nic("<rom file='/tmp/evil.rom'/>"), /attribute file/],
    ['a path in an allowed attribute', nic("<filterref filter='../../etc/x'/>"), /not a plain name/],
    ['an unknown attribute', nic("<model type='virtio' evil='1'/>"), /attribute evil/],
    ['text inside an element', nic('<model>virtio</model>'), /holds text/],
    ['an ethernet NIC (its own script and tap)', nic('', 'ethernet'), /type is ethernet/],
    ['two elements', `${nic('')}${nic('')}`, /not well-formed/],
    ['a doctype before the element', `<!DOCTYPE x [<!ENTITY a "b">]>${nic('')}`, /one <interface> element/],
    ['another MAC', nic('').replace(MAC, '52:54:00:70:66:0a'), /not the NIC 52:54:00:70:66:09/],
    ['another network', nic('').replace("network='lab'", "network='default'"), /does not plug into network lab/],
    ['the same name as a bridge', nic('').replace("type='network'", "type='bridge'").replace("network='lab'", "bridge='lab'"), /does not plug into network lab/],
    ['broken XML', '<interface type="network"><mac', /not well-formed/],
  ])('refuses %s', (_what, xml, problem) => {
    expect(nicXmlProblem(xml, expected)).toMatch(problem);
  });

  it('the schema refuses the same shapes, whichever NIC they claim to be', () => {
    expect(NicXml.safeParse(nic("<script path='/bin/sh'/>")).success).toBe(false);
    expect(NicXml.safeParse(nic("<boot order='1'/>")).success).toBe(true);
  });
});
