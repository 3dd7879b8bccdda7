import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDevices } from '../../../main/host/doctor-facts/read-devices';
import { runTool } from '../../../main/host/doctor-facts/run-tool';

// stand-ins for device nodes: stat reads a file's mode and owner the same way
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'kvmnet-devices-'));
  await writeFile(join(root, 'kvm'), '');
  await chmod(join(root, 'kvm'), 0o660);
  await writeFile(join(root, 'tun'), '');
  await chmod(join(root, 'tun'), 0o666);
  await writeFile(join(root, 'group'), `root:x:0:\nkvm:x:${process.getgid?.() ?? 0}:\n`);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readDevices', () => {
  it('stats each node for mode, owner and group name, and reports a missing one', async () => {
    const devices = await readDevices({ kvm: join(root, 'kvm'), tun: join(root, 'tun'), vhostNet: join(root, 'vhost-net') }, join(root, 'group'));
    expect(devices.kvm).toEqual({ path: join(root, 'kvm'), exists: true, mode: 0o660, uid: process.getuid?.(), gid: process.getgid?.(), group: 'kvm' });
    expect(devices.tun).toMatchObject({ exists: true, mode: 0o666 });
    expect(devices.vhostNet).toEqual({ path: join(root, 'vhost-net'), exists: false });
  });
});

describe('runTool', () => {
  it('turns a missing tool and a failing one into results, never throws', async () => {
    expect(await runTool('kvmnet-no-such-tool', [], 1000)).toMatchObject({ ok: false, missing: true });
    expect(await runTool('sh', ['-c', 'echo nope >&2; exit 3'], 1000)).toEqual({ ok: false, exitCode: 3, missing: false, timedOut: false, stderr: 'nope' });
    expect(await runTool('sh', ['-c', 'echo yes'], 1000)).toEqual({ ok: true, stdout: 'yes' });
  });
});
