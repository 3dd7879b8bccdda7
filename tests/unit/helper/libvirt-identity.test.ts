import { describe, expect, it } from 'vitest';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import { parseLibvirtNetworkXml, renderLibvirtNetworkXml } from '../../../main/core/render/libvirt-network-xml';
import { bridgeMacOf, withBridgeMac } from '../../../main/helper/libvirt-identity';

const spec: NetworkSpec = {
  name: 'lv', kind: 'nat', backend: 'libvirt', bridge: 'kvlv0',
  ipv4: { subnet: '10.82.0.0/24', gateway: '10.82.0.1' }, dhcp: null, autostart: true,
};

describe('keeping a libvirt network\'s bridge MAC across a redefinition', () => {
  it('reads the MAC from net-dumpxml output', () => {
    expect(bridgeMacOf("<network>\n  <name>lv</name>\n  <bridge name='kvlv0' stp='on' delay='0'/>\n  <mac address='52:54:00:AB:cd:01'/>\n</network>")).toBe('52:54:00:ab:cd:01');
    expect(bridgeMacOf('<network><name>lv</name></network>')).toBeUndefined();
  });

  it('puts it right after <bridge/>, where libvirt writes it, leaving the definition otherwise as rendered', () => {
    const rendered = renderLibvirtNetworkXml(spec);
    const xml = withBridgeMac(rendered, '52:54:00:ab:cd:01');
    expect(xml).toMatch(/<bridge name="kvlv0" stp="on" delay="0"\/>\n {2}<mac address="52:54:00:ab:cd:01"\/>\n/);
    expect(xml.replace(/\n {2}<mac address="52:54:00:ab:cd:01"\/>/, '')).toBe(rendered);
    expect(parseLibvirtNetworkXml(xml)).toMatchObject({ name: 'lv', managedByKvmnet: true, bridge: 'kvlv0' });
  });

  it('refuses a MAC that is not one, and a definition without a bridge', () => {
    expect(() => withBridgeMac(renderLibvirtNetworkXml(spec), '52:54:00:ab:cd:01"/><x a="')).toThrow();
    expect(() => withBridgeMac('<network><name>lv</name></network>', '52:54:00:ab:cd:01')).toThrow(/no <bridge\/>/);
  });
});
