import { describe, expect, it } from 'vitest';
import { LibvirtDomain } from '../../../main/core/host-snapshot';
import { parseDomainXml } from '../../../main/host/parse-libvirt-domain';
import { hostFixture } from '../../fixtures/host/fixture';

describe('parseDomainXml', () => {
  const domain = parseDomainXml(hostFixture('libvirt/dumpxml-vm1.xml'), hostFixture('libvirt/domstate-vm1.txt'));

  it('reads the name, the state and every interface with what it plugs into', () => {
    expect(domain).toEqual({
      name: 'vm1',
      state: 'shut off',
      interfaces: [
        { type: 'network', mac: '52:54:00:aa:bb:01', source: 'labnat', model: 'virtio' },
        { type: 'bridge', mac: '52:54:00:aa:bb:02', source: 'kvbr0', model: 'e1000' },
        { type: 'ethernet', mac: '52:54:00:aa:bb:03', target: 'kvtap0', model: 'rtl8139' },
      ],
    });
    expect(LibvirtDomain.parse(domain)).toEqual(domain);
  });

  it('reads a macvtap (direct) source device and a domain without interfaces', () => {
    const direct = parseDomainXml(
      "<domain type='kvm'><name>d</name><devices><interface type='direct'><source dev='eth0' mode='bridge'/><target dev='macvtap0'/></interface></devices></domain>",
      'running\n',
    );
    expect(direct).toEqual({ name: 'd', state: 'running', interfaces: [{ type: 'direct', source: 'eth0', target: 'macvtap0' }] });
    expect(parseDomainXml("<domain type='kvm'><name>e</name><devices/></domain>", 'paused').interfaces).toEqual([]);
  });
});
