import { describe, expect, it } from 'vitest';
import { renderVirtInstallNetworkArgs, type VirtInstallNic } from '../../../../main/core/attach/virt-install-args';
import { thrownMessages } from './thrown-messages';

const onNetwork: VirtInstallNic = { source: { type: 'network', network: 'lab' }, model: 'virtio', mac: '52:54:00:3a:7c:01' };

describe('renderVirtInstallNetworkArgs', () => {
  it('attaches to a libvirt network', () => {
    expect(renderVirtInstallNetworkArgs(onNetwork)).toEqual({
      argv: ['--network', 'network=lab,model=virtio,mac=52:54:00:3a:7c:01'],
      shell: '--network network=lab,model=virtio,mac=52:54:00:3a:7c:01',
    });
  });

  it('attaches to a host bridge directly', () => {
    const line = renderVirtInstallNetworkArgs({ source: { type: 'bridge', bridge: 'kv-lab' }, model: 'e1000e', mac: '52:54:00:AA:00:01' });
    expect(line.argv).toEqual(['--network', 'bridge=kv-lab,model=e1000e,mac=52:54:00:aa:00:01']);
  });

  it("attaches to libvirt's own networks, whose names KVMNet did not pick", () => {
    expect(renderVirtInstallNetworkArgs({ ...onNetwork, source: { type: 'network', network: 'default' } }).argv[1]).toMatch(/^network=default,/);
  });

  it.each([
    [{ source: { type: 'network', network: 'lab,model=rtl8139' } }, /not a network name KVMNet can attach to/],
    [{ source: { type: 'network', network: '-lab' } }, /not a network name KVMNet can attach to/],
    [{ source: { type: 'bridge', bridge: 'br 0' } }, /interface name may use only/],
    [{ source: { type: 'direct', dev: 'eth0' } }, /source must be \{type: "network", network\}/],
    [{ mac: 'fe:54:00:00:00:01' }, /libvirt reserves/],
    [{ model: 'pcnet' }, /must be one of virtio/],
  ])('refuses %j with the fix', (change, message) => {
    expect(thrownMessages(() => renderVirtInstallNetworkArgs({ ...onNetwork, ...change } as VirtInstallNic))).toMatch(message);
  });
});
