import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestUnavailableReason } from '../../lab/guest';
import { guestImage } from '../../lab/guest/initramfs';
import { behaviourWords } from '../../lab/guest/command-line';
import { startLibvirtd } from '../../lab/libvirtd';
import { domainNicXml } from '../../../main/core/attach/domain-nic-xml';
import { HelperProcess } from '../helper/helper-process';
import { startCliLab, type CliLab } from '../cli/cli-lab';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped kvmnet attach --vm on a running domain: ${skip}`);

/** where the lab keeps the guest's boot files and console, on its own /run */
const DIR = '/run/live';
const MAC = /^52:54:00(:[0-9a-f]{2}){3}$/;

/**
 * `kvmnet attach --vm` on a domain libvirt runs: a TCG guest (the test kernel and busybox
 * initramfs) booted by libvirtd in the lab, so the NIC must be hot-plugged (--live) as well as
 * written to the configuration, and hot-unplugged by detach (the guest's kernel answers the ACPI
 * eject). libvirt runs QEMU as root without relabelling here: the lab has no libvirt-qemu user
 * files to hand over, and relabelling would chown the machine's own files.
 */
describe.skipIf(skip)('kvmnet attach --vm on a running libvirt domain', () => {
  let cli: CliLab;
  const virsh = (...args: string[]) => cli.lab.sh('virsh', ['-c', 'qemu:///system', ...args], { env: { LC_ALL: 'C' } });

  beforeAll(async () => {
    cli = await startCliLab();
    // QEMU as root without relabelling or virtlogd: nothing of the machine's may be chowned, the lab runs no virtlogd and mounts no cgroups
    await cli.lab.sh('tee', ['-a', '/etc/libvirt/qemu.conf'], { input: 'user = "root"\ngroup = "root"\ndynamic_ownership = 0\nsecurity_driver = "none"\nstdio_handler = "file"\ncgroup_controllers = [ ]\n' });
    await startLibvirtd(cli.lab);
    const created = await cli.kvmnet('create', 'nat', 'lv', '--backend', 'libvirt', '--subnet', '10.84.1.0/24');
    if (created.exitCode !== 0) throw new Error(created.stderr);
    const image = await guestImage();
    await cli.lab.sh('mkdir', ['-p', DIR]);
    await cli.lab.sh('cp', [image.kernel, `${DIR}/vmlinuz`]);
    await cli.lab.sh('cp', [image.initramfs, `${DIR}/initramfs`]);
    const cmdline = ['console=ttyS0', 'panic=-1', 'quiet', ...behaviourWords({ staySeconds: 300 })].join(' ');
    await cli.lab.sh('tee', [`${DIR}/live1.xml`], {
      input: `<domain type='qemu'><name>live1</name><memory unit='MiB'>256</memory>
<os><type arch='x86_64' machine='pc'>hvm</type><kernel>${DIR}/vmlinuz</kernel><initrd>${DIR}/initramfs</initrd><cmdline>${cmdline}</cmdline></os>
<features><acpi/></features><on_poweroff>destroy</on_poweroff><on_reboot>destroy</on_reboot>
<devices><serial type='file'><source path='${DIR}/console.log'/></serial></devices></domain>`,
    });
    await virsh('define', `${DIR}/live1.xml`);
    await virsh('start', 'live1');
    // hot-plug needs the guest's kernel up: its init prints INIT once it runs
    for (let i = 0; i < 600; i++) {
      if ((await cli.lab.run('grep', ['-q', '^INIT', `${DIR}/console.log`])).exitCode === 0) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the guest did not boot: ${(await cli.lab.run('cat', [`${DIR}/console.log`])).stdout}`);
  }, 240_000);
  afterAll(async () => {
    await cli?.close();
  });

  it('adds the NIC to the running guest and its configuration; detach removes it from both', async () => {
    await cli.settle();
    const before = await cli.state();
    const attached = await cli.kvmnet('attach', 'lv', '--vm', 'live1');
    expect(attached.exitCode, attached.stderr).toBe(0);
    const mac = /MAC (\S+)/.exec(attached.stdout)?.[1] ?? '';
    expect(mac).toMatch(MAC);
    expect(attached.stdout).toContain('in its configuration and the running guest');
    const row = new RegExp(`^\\s*\\S+\\s+network\\s+lv\\s+virtio\\s+${mac}\\s*$`, 'm');
    expect(await virsh('domiflist', 'live1')).toMatch(row);
    expect(await virsh('domiflist', 'live1', '--inactive')).toMatch(row);
    // the running guest's tap is on the network's bridge
    const port = /^\s*(\S+)\s+network/m.exec(await virsh('domiflist', 'live1'))?.[1] ?? '';
    expect(JSON.parse(await cli.lab.sh('ip', ['-j', 'link', 'show', 'dev', port]))).toMatchObject([{ master: 'kv-lv' }]);

    const detached = await cli.kvmnet('detach', 'lv', '--vm', 'live1', '--mac', mac);
    expect(detached.exitCode, detached.stderr).toBe(0);
    expect(await virsh('domiflist', 'live1', '--inactive')).not.toContain(mac);
    // the guest acknowledges the unplug in its own time
    let live = '';
    for (let i = 0; i < 100; i++) {
      live = await virsh('domiflist', 'live1');
      if (!live.includes(mac)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(live).not.toContain(mac);
    await cli.settle();
    expect(await cli.state()).toEqual(before);
  }, 120_000);

  it('a detach rolled back by a later failure plugs the NIC back into the running guest and its configuration as it was', async () => {
    const attached = await cli.kvmnet('attach', 'lv', '--vm', 'live1');
    expect(attached.exitCode, attached.stderr).toBe(0);
    const mac = /MAC (\S+)/.exec(attached.stdout)?.[1] ?? '';
    const nicOf = async (...flags: string[]) => domainNicXml(await virsh('dumpxml', ...flags, 'live1'), mac);
    const config = await nicOf('--inactive');
    const slot = /slot="(0x[0-9a-f]+)"/.exec((await nicOf()) ?? '')?.[1];
    expect(slot).toBeDefined();

    const helper = HelperProcess.start(cli.lab);
    try {
      // fails for real after the detach: a bridge of that name is made first, and the kernel refuses a second
      const fail = { op: 'link.add', kind: 'bridge', name: 'kvfail', network: 'fail' };
      expect((await helper.apply([fail])).response).toMatchObject({ ok: true });
      const { response } = await helper.apply([{ op: 'libvirt.detachInterface', domain: 'live1', network: 'lv', source: { type: 'network', network: 'lv' }, mac }, fail]);
      expect(response).toMatchObject({ ok: false, error: { code: 'APPLY_FAILED', failure: { failedIndex: 1, undone: 1, left: [] } } });
      expect((await helper.apply([{ op: 'link.delete', name: 'kvfail' }])).response).toMatchObject({ ok: true });
    } finally {
      await helper.close();
    }
    expect(await nicOf('--inactive')).toBe(config);
    const live = await nicOf();
    expect(live).toContain(`slot="${slot}"`);
    expect(await virsh('domiflist', 'live1')).toContain(mac);

    const detached = await cli.kvmnet('detach', 'lv', '--vm', 'live1', '--mac', mac);
    expect(detached.exitCode, detached.stderr).toBe(0);
  }, 120_000);
});
