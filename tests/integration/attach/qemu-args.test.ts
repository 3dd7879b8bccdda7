import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { NIC_MODELS, QEMU_NIC_DEVICE } from '../../../main/core/attach/nic-model';
import { renderQemuNicArgs } from '../../../main/core/attach/qemu-args';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { QEMU, runQemuToEnd, startQemu } from './qemu-session';
import { inCi, missingToolsReason } from './required-tools';

/** The flags KVMNet renders for a tap it made, given to a real QEMU on a real tap inside a lab. */

const labSkip = labUnavailableReason();
const qemuMissing = missingToolsReason([[QEMU, 'qemu-system-x86']]);
const skip = labSkip ?? qemuMissing;
if (skip && !inCi) console.log(`skipped QEMU flag tests: ${skip}`);

describe.skipIf(qemuMissing !== undefined && !inCi)('QEMU', () => {
  it('is installed (CI installs it, so there a missing one is a failure)', () => {
    expect(qemuMissing).toBeUndefined();
  });
});

describe.skipIf(skip)('QEMU NIC flags on a tap KVMNet made', () => {
  let lab: Lab;
  beforeAll(async () => {
    lab = await startLab();
    await lab.sh('ip', ['link', 'add', 'kv-lab', 'type', 'bridge']);
    for (const [i] of NIC_MODELS.entries()) {
      await lab.sh('ip', ['tuntap', 'add', 'dev', `kvt${i}`, 'mode', 'tap']);
      await lab.sh('ip', ['link', 'set', 'dev', `kvt${i}`, 'master', 'kv-lab']);
    }
  });
  afterAll(async () => { await lab?.close(); });

  it.each(NIC_MODELS.map((model, i) => [model, i] as const))('QEMU takes model %s and uses the tap, the MAC and no script', async (model, i) => {
    const mac = `52:54:00:3a:7c:0${i}`;
    const args = renderQemuNicArgs({ id: `net${i}`, backend: { kind: 'tap', tap: `kvt${i}` }, mac, model, vhostNet: false });
    const qemu = await startQemu(lab, args.argv);
    const network = await qemu.monitor('info network');
    await qemu.quit();
    expect(network).toContain(`model=${QEMU_NIC_DEVICE[model]},macaddr=${mac}`);
    expect(network).toContain(`net${i}: index=0,type=tap,ifname=kvt${i},script=no,downscript=no`);
  });

  it("QEMU refuses libvirt's model name as a device, which is why models are mapped (the check can fail)", async () => {
    const args = renderQemuNicArgs({ id: 'net0', backend: { kind: 'tap', tap: 'kvt0' }, mac: '52:54:00:3a:7c:00', model: 'virtio', vhostNet: false });
    const unmapped = args.argv.map((word) => word.replace(/^virtio-net-pci,/, 'virtio,'));
    const result = await runQemuToEnd(lab, unmapped);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/'virtio' is not a valid device model name/);
  });

  const vhostPresent = existsSync('/dev/vhost-net');
  if (vhostPresent) console.log('skipped "vhost=on without /dev/vhost-net": this machine has /dev/vhost-net');

  it.skipIf(vhostPresent)('vhost=on where /dev/vhost-net is missing stops QEMU, which is why it is off unless asked', async () => {
    const args = renderQemuNicArgs({ id: 'net0', backend: { kind: 'tap', tap: 'kvt0' }, mac: '52:54:00:3a:7c:00', model: 'virtio', vhostNet: true });
    expect(args.argv[1]).toContain('vhost=on');
    const result = await runQemuToEnd(lab, args.argv);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/vhost/);
  });
});
