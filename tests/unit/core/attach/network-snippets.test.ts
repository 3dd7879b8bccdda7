import { describe, expect, it } from 'vitest';
import { networkSnippets } from '../../../../main/core/attach/network-snippets';
import { laptopSnapshot } from '../network/host-fixture';

describe('networkSnippets', () => {
  const random = () => 0.25;

  it('joins a libvirt network by name, and plain QEMU through a tap on its bridge', () => {
    const s = networkSnippets({ name: 'lab', backend: 'libvirt', bridge: 'kv-lab', managed: true }, laptopSnapshot(), { vhostNet: true, random });
    expect(s.virtInstall).toBe(`--network network=lab,model=virtio,mac=${s.mac}`);
    expect(s.libvirtXml).toContain('<source network="lab"/>');
    expect(s.qemu).toBe(`-netdev tap,id=${s.tap},ifname=${s.tap},script=no,downscript=no,vhost=on \\\n-device virtio-net-pci,netdev=${s.tap},mac=${s.mac}`);
    expect(s.qemuIfup?.script).toContain("bridge='kv-lab'");
  });

  it('names the tap as kvmnet attach --print qemu names it (tap-name.ts)', () => {
    const s = networkSnippets({ name: 'lab', backend: 'direct', bridge: 'kv-lab', managed: true }, laptopSnapshot(), { vhostNet: false, random });
    expect(s.tap).toBe('kvt-lab-0');
  });

  it('joins a direct network by its bridge, never takes a MAC in use, and gives no qemu-ifup for a network KVMNet did not make', () => {
    const snapshot = laptopSnapshot();
    const s = networkSnippets({ name: 'default', backend: 'direct', bridge: 'virbr0', managed: false }, snapshot, { vhostNet: false, random });
    expect(s.virtInstall).toBe(`--network bridge=virbr0,model=virtio,mac=${s.mac}`);
    expect(snapshot.links.map((l) => l.mac)).not.toContain(s.mac);
    expect(s.qemu).not.toContain('vhost=on');
    expect(s.qemuIfup).toBeNull();
  });

  it('has no QEMU snippet while the network has no bridge', () => {
    const s = networkSnippets({ name: 'iso', backend: 'libvirt', bridge: null, managed: true }, laptopSnapshot(), { vhostNet: false, random });
    expect([s.tap, s.qemu, s.qemuIfup]).toEqual([null, null, null]);
    expect(s.virtInstall).toContain('network=iso');
  });
});
