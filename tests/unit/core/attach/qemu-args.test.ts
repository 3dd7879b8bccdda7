import { describe, expect, it } from 'vitest';
import { renderQemuNicArgs, type QemuNic } from '../../../../main/core/attach/qemu-args';
import { thrownMessages } from './thrown-messages';

const tapNic: QemuNic = { id: 'net0', backend: { kind: 'tap', tap: 'kvt-lab-0' }, mac: '52:54:00:3A:7C:01', model: 'virtio', vhostNet: false };

describe('renderQemuNicArgs', () => {
  it('puts a guest on a tap KVMNet made, with no scripts for QEMU to run', () => {
    const line = renderQemuNicArgs(tapNic);
    expect(line.argv).toEqual([
      '-netdev', 'tap,id=net0,ifname=kvt-lab-0,script=no,downscript=no',
      '-device', 'virtio-net-pci,netdev=net0,mac=52:54:00:3a:7c:01',
    ]);
    expect(line.shell).toBe('-netdev tap,id=net0,ifname=kvt-lab-0,script=no,downscript=no -device virtio-net-pci,netdev=net0,mac=52:54:00:3a:7c:01');
  });

  it('turns vhost on only where /dev/vhost-net exists', () => {
    expect(renderQemuNicArgs({ ...tapNic, vhostNet: true }).argv[1]).toBe('tap,id=net0,ifname=kvt-lab-0,script=no,downscript=no,vhost=on');
    expect(renderQemuNicArgs({ ...tapNic, vhostNet: false }).argv[1]).not.toContain('vhost');
  });

  it('leaves vhost off for emulated models, which it cannot serve', () => {
    expect(renderQemuNicArgs({ ...tapNic, model: 'e1000e', vhostNet: true }).argv[1]).not.toContain('vhost');
  });

  it.each([
    ['virtio', 'virtio-net-pci'],
    ['e1000e', 'e1000e'],
    ['e1000', 'e1000'],
    ['rtl8139', 'rtl8139'],
  ] as const)('maps model %s to QEMU device %s', (model, device) => {
    expect(renderQemuNicArgs({ ...tapNic, model }).argv[3]).toBe(`${device},netdev=net0,mac=52:54:00:3a:7c:01`);
  });

  it("runs KVMNet's scripts in the seeds' flow, naming the tap only when asked", () => {
    const scripts = { kind: 'script', ifup: '/etc/kvmnet/qemu-ifup-lab', ifdown: '/etc/kvmnet/qemu-ifdown-lab' } as const;
    expect(renderQemuNicArgs({ ...tapNic, backend: scripts }).argv[1]).toBe('tap,id=net0,script=/etc/kvmnet/qemu-ifup-lab,downscript=/etc/kvmnet/qemu-ifdown-lab');
    expect(renderQemuNicArgs({ ...tapNic, backend: { ...scripts, tap: 'vif0.0' } }).argv[1]).toBe(
      'tap,id=net0,ifname=vif0.0,script=/etc/kvmnet/qemu-ifup-lab,downscript=/etc/kvmnet/qemu-ifdown-lab',
    );
  });

  it.each([
    [{ id: '0net' }, /not a QEMU id; start with a letter/],
    [{ id: 'net,vhost=on' }, /not a QEMU id/],
    [{ mac: '52:54:00:12:34' }, /not a MAC address/],
    [{ mac: '01:00:5e:00:00:01' }, /multicast/],
    [{ model: 'ne2k_pci' }, /must be one of virtio, e1000e, e1000, rtl8139/],
    [{ backend: { kind: 'tap', tap: 'tap0,script=/tmp/x' } }, /interface name may use only letters/],
    [{ backend: { kind: 'script', ifup: 'qemu-ifup', ifdown: '/etc/qemu-ifdown' } }, /not a plain absolute path/],
    [{ backend: { kind: 'script', ifup: '/etc/kvmnet/a,b', ifdown: '/etc/qemu-ifdown' } }, /not a plain absolute path/],
    [{ backend: { kind: 'script', ifup: '/etc/kvmnet/../../tmp/x', ifdown: '/etc/qemu-ifdown' } }, /may not contain "\." or "\.\." parts/],
    [{ backend: { kind: 'bridge' } }, /backend must be \{kind: "tap", tap\}/],
    [{ vhostNet: 'yes' }, /whether \/dev\/vhost-net exists/],
  ])('refuses %j with the fix', (change, message) => {
    expect(thrownMessages(() => renderQemuNicArgs({ ...tapNic, ...change } as QemuNic))).toMatch(message);
  });
});
