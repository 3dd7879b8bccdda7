import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderQemuNicArgs } from '../../../main/core/attach/qemu-args';
import { qemuScriptName, type QemuScriptTarget } from '../../../main/core/attach/qemu-if-script';
import { renderQemuIfdownScript } from '../../../main/core/attach/qemu-ifdown-script';
import { renderQemuIfupScript } from '../../../main/core/attach/qemu-ifup-script';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { startQemu, QEMU } from './qemu-session';
import { inCi, missingToolsReason } from './required-tools';

/**
 * The scripts QEMU runs in the seeds' flow (`-netdev tap,script=…,downscript=…`), rendered for
 * real networks and run for real: by bash -n and shellcheck, by hand inside a lab, and by QEMU.
 */

const lab0: QemuScriptTarget = { network: 'lab', bridge: 'kv-lab' };
const ghost: QemuScriptTarget = { network: 'ghost', bridge: 'kv-ghost' };
const rendered = [
  ['ifup', renderQemuIfupScript(lab0)],
  ['ifdown', renderQemuIfdownScript(lab0)],
] as const;

let dir: string;
const path = (kind: 'ifup' | 'ifdown', target: QemuScriptTarget) => join(dir, qemuScriptName(kind, target.network));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kvmnet-ifup-'));
  for (const target of [lab0, ghost]) {
    for (const [kind, render] of [['ifup', renderQemuIfupScript], ['ifdown', renderQemuIfdownScript]] as const) {
      await writeFile(path(kind, target), render(target));
      await chmod(path(kind, target), 0o755);
    }
  }
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('rendered scripts parse', () => {
  it.each(rendered)('bash -n accepts qemu-%s', async (kind) => {
    const result = await execa('bash', ['-n', path(kind, lab0)], { reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it('bash -n catches a broken script (the check can fail)', async () => {
    const broken = join(dir, 'broken');
    await writeFile(broken, renderQemuIfupScript(lab0).replace(/\nfi\n/, '\n'));
    expect((await execa('bash', ['-n', broken], { reject: false })).exitCode).not.toBe(0);
  });
});

const shellcheckMissing = missingToolsReason([['shellcheck', 'shellcheck']]);
if (shellcheckMissing && !inCi) console.log(`skipped shellcheck of qemu-ifup/ifdown: ${shellcheckMissing}`);

describe.skipIf(shellcheckMissing !== undefined && !inCi)('shellcheck', () => {
  it('is installed (CI installs it, so there a missing one is a failure)', () => {
    expect(shellcheckMissing).toBeUndefined();
  });
});

describe.skipIf(shellcheckMissing !== undefined)('rendered scripts under shellcheck', () => {
  it.each(rendered)('finds nothing in qemu-%s, optional checks included', async (kind) => {
    const result = await execa('shellcheck', ['--enable=all', '--severity=style', path(kind, lab0)], { reject: false });
    expect(result.exitCode, result.stdout).toBe(0);
  });

  it('flags the seed\'s own /etc/qemu-ifup (the check can fail)', async () => {
    const seed = join(dir, 'seed-qemu-ifup');
    await writeFile(seed, "#!/bin/bash\nbridge=br0\nif [ -n '$1' ]; then\n\tip link set $1 up\n\tbrctl addif $bridge $1\nfi\n");
    const result = await execa('shellcheck', [seed], { reject: false });
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toMatch(/SC2016|SC2086/);
  });
});

const labSkip = labUnavailableReason();
if (labSkip) console.log(`skipped qemu-ifup/ifdown lab tests: ${labSkip}`);
const qemuMissing = missingToolsReason([[QEMU, 'qemu-system-x86']]);
if (qemuMissing && !labSkip) console.log(`skipped qemu-ifup/ifdown under QEMU: ${qemuMissing}`);

interface LinkState {
  master?: string;
  flags: string[];
}

describe.skipIf(labSkip)('rendered scripts on a real bridge', () => {
  let lab: Lab;
  const link = async (name: string): Promise<LinkState | undefined> => {
    const result = await lab.run('ip', ['-j', 'link', 'show', 'dev', name]);
    return result.exitCode === 0 ? (JSON.parse(result.stdout) as LinkState[])[0] : undefined;
  };
  const script = (kind: 'ifup' | 'ifdown', args: string[], target = lab0) => lab.run(path(kind, target), args);

  beforeAll(async () => {
    lab = await startLab();
    for (const bridge of ['kv-lab', 'kv-other']) {
      await lab.sh('ip', ['link', 'add', bridge, 'type', 'bridge']);
      await lab.sh('ip', ['link', 'set', bridge, 'up']);
    }
  });
  afterAll(async () => { await lab?.close(); });

  it('ifup puts the tap on the bridge and up; ifdown takes it off and down', async () => {
    await lab.sh('ip', ['tuntap', 'add', 'dev', 'kvt0', 'mode', 'tap']);
    expect(await link('kvt0')).not.toHaveProperty('master');

    const up = await script('ifup', ['kvt0']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(await link('kvt0')).toMatchObject({ master: 'kv-lab', flags: expect.arrayContaining(['UP']) });

    const down = await script('ifdown', ['kvt0']);
    expect(down.exitCode, down.stderr).toBe(0);
    const after = await link('kvt0');
    expect(after).not.toHaveProperty('master');
    expect(after?.flags).not.toContain('UP');
  });

  it('ifdown leaves a tap that now sits on another bridge there', async () => {
    await lab.sh('ip', ['tuntap', 'add', 'dev', 'kvt1', 'mode', 'tap']);
    await lab.sh('ip', ['link', 'set', 'dev', 'kvt1', 'master', 'kv-other']);
    const down = await script('ifdown', ['kvt1']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await link('kvt1')).toMatchObject({ master: 'kv-other' });
  });

  it('ifdown succeeds quietly when the tap is already gone', async () => {
    const down = await script('ifdown', ['kvt-gone']);
    expect(down).toMatchObject({ exitCode: 0, stderr: '' });
  });

  it.each([
    ['ifup', []],
    ['ifup', ['']],
    ['ifdown', []],
  ] as const)('qemu-%s without an interface (%j) exits 1 and says why', async (kind, args) => {
    const result = await script(kind, [...args]);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe(`qemu-${kind}-lab: no interface given; QEMU passes the tap's name as the first argument (to try it by hand: qemu-${kind}-lab TAP)`);
  });

  it('ifup exits 1 with the fix when the network\'s bridge does not exist', async () => {
    await lab.sh('ip', ['tuntap', 'add', 'dev', 'kvt2', 'mode', 'tap']);
    const result = await script('ifup', ['kvt2'], ghost);
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('qemu-ifup-ghost: bridge kv-ghost does not exist; start KVMNet network ghost first, then start the guest again');
    expect(await link('kvt2')).not.toHaveProperty('master');
  });

  it('ifup fails (non-zero) when ip fails, instead of carrying on', async () => {
    const result = await script('ifup', ['kvt-missing']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/kvt-missing/);
  });

  describe.skipIf(qemuMissing)('run by QEMU', () => {
    const scripts = () => ({ kind: 'script' as const, ifup: path('ifup', lab0), ifdown: path('ifdown', lab0) });

    it('a tap QEMU opens is on the bridge while the guest runs, and off it after', async () => {
      await lab.sh('ip', ['tuntap', 'add', 'dev', 'kvq0', 'mode', 'tap']);
      const args = renderQemuNicArgs({ id: 'net0', backend: { ...scripts(), tap: 'kvq0' }, mac: '52:54:00:3a:7c:10', model: 'virtio', vhostNet: false });
      const qemu = await startQemu(lab, args.argv);
      expect(await link('kvq0')).toMatchObject({ master: 'kv-lab', flags: expect.arrayContaining(['UP']) });
      expect(await qemu.monitor('info network')).toContain(`ifname=kvq0,script=${path('ifup', lab0)},downscript=${path('ifdown', lab0)}`);
      await qemu.quit();
      const after = await link('kvq0');
      expect(after).not.toHaveProperty('master');
      expect(after?.flags).not.toContain('UP');
    });

    it('a tap QEMU creates itself joins the bridge and goes with the guest', async () => {
      const args = renderQemuNicArgs({ id: 'net0', backend: { ...scripts(), tap: 'kvq1' }, mac: '52:54:00:3a:7c:11', model: 'e1000e', vhostNet: false });
      const qemu = await startQemu(lab, args.argv);
      expect(await link('kvq1')).toMatchObject({ master: 'kv-lab' });
      await qemu.quit();
      expect(await link('kvq1')).toBeUndefined();
    });
  });
});
