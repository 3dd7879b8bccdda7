import { describe, expect, it } from 'vitest';
import { renderLibvirtInterfaceXml, type LibvirtInterface } from '../../../../main/core/attach/libvirt-interface-xml';
import { thrownMessages } from './thrown-messages';

const onNetwork: LibvirtInterface = { source: { type: 'network', network: 'lab' }, model: 'virtio', mac: '52:54:00:3A:7C:01' };

describe('renderLibvirtInterfaceXml', () => {
  it('writes a network interface in the order virsh dumpxml uses', () => {
    expect(renderLibvirtInterfaceXml(onNetwork)).toBe(
      [
        '<interface type="network">',
        '  <mac address="52:54:00:3a:7c:01"/>',
        '  <source network="lab"/>',
        '  <model type="virtio"/>',
        '</interface>',
        '',
      ].join('\n'),
    );
  });

  it('writes a bridge interface with a named tap', () => {
    expect(renderLibvirtInterfaceXml({ source: { type: 'bridge', bridge: 'kv-lab' }, model: 'e1000e', mac: '52:54:00:aa:00:01', target: 'kvt-web0' })).toBe(
      [
        '<interface type="bridge">',
        '  <mac address="52:54:00:aa:00:01"/>',
        '  <source bridge="kv-lab"/>',
        '  <target dev="kvt-web0"/>',
        '  <model type="e1000e"/>',
        '</interface>',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [{ target: 'vnet7' }, /starts with vnet, vif, macvtap, macvlan, which libvirt reserves .*pick another name \(such as kvt-web0\) or leave the target out/],
    [{ target: 'macvtap0' }, /which libvirt reserves/],
    [{ target: 'a"b' }, /interface name may use only/],
    [{ source: { type: 'network', network: "lab'/><x" } }, /not a network name KVMNet can attach to/],
    [{ mac: '33:33:00:00:00:01' }, /multicast/],
    [{ model: 'virtio-net-pci' }, /must be one of virtio, e1000e, e1000, rtl8139/],
    [{ extra: 1 }, /Unrecognized key/],
  ])('refuses %j with the fix', (change, message) => {
    expect(thrownMessages(() => renderLibvirtInterfaceXml({ ...onNetwork, ...change } as LibvirtInterface))).toMatch(message);
  });
});
