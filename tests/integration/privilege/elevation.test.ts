import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason, startLab, type Lab } from '../../lab/lab';
import { HelperClient } from '../../../main/privilege/helper-client';
import { PKEXEC_LAUNCHER_PATH } from '../../../main/privilege/helper-location';
import { pkexecHelperCommand, pkexecStrategy } from '../../../main/privilege/pkexec-strategy';
import { PrivilegeSession } from '../../../main/privilege/privilege-session';
import { rootHelperCommand, rootStrategy } from '../../../main/privilege/root-strategy';
import type { HelperCommand } from '../../../main/privilege/helper-connection';
import { buildPrivilegeBundles } from './build-bundles';

const skip = labUnavailableReason();
if (skip) console.log(`skipped privilege integration tests: ${skip}`);

/** the same command, run inside the lab's namespaces */
const insideLab = (lab: Lab, command: HelperCommand): HelperCommand => ({ ...command, file: lab.enter[0]!, args: [...lab.enter.slice(1), command.file, ...command.args] });

const scratch: string[] = [];
async function scratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

/** A stand-in for /usr/bin/pkexec (the polkit dialog cannot exist here); `body` decides the outcome. */
async function fakePkexec(body: string): Promise<string> {
  const dir = await scratchDir('kvmnet-fake-pkexec-');
  await writeFile(join(dir, 'pkexec'), `#!/bin/sh\n${body}\n`);
  await chmod(join(dir, 'pkexec'), 0o755);
  return dir;
}

/** Overlays a directory inside the lab so files can be installed there without touching the machine. */
async function overlay(lab: Lab, dir: string): Promise<void> {
  const scratch = `/mnt/overlay${dir.replaceAll('/', '-')}`;
  await lab.sh('mkdir', ['-p', `${scratch}/upper`, `${scratch}/work`, dir]);
  await lab.sh('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${dir},upperdir=${scratch}/upper,workdir=${scratch}/work`, dir]);
}

const isRunning = async (lab: Lab, pid: number) => (await lab.run('kill', ['-0', String(pid)])).exitCode === 0;

describe.skipIf(skip)('elevation against the real helper, inside a lab', () => {
  let lab: Lab;
  let bundles: Awaited<ReturnType<typeof buildPrivilegeBundles>>;

  beforeAll(async () => {
    [lab, bundles] = await Promise.all([startLab(), buildPrivilegeBundles()]);
  });
  afterAll(async () => {
    await lab?.close();
    await bundles?.remove();
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('root strategy: starts the helper, which answers as root and exits when the client lets go', async () => {
    const command = insideLab(lab, rootHelperCommand({ runtime: process.execPath, script: bundles.helper }));
    const client = new HelperClient(await rootStrategy(command).launch());
    const pong = await client.ping();
    expect(pong).toMatchObject({ uid: 0, pid: expect.any(Number) });
    expect(await isRunning(lab, pong.pid)).toBe(true);
    const exit = await client.dispose();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(await isRunning(lab, pong.pid)).toBe(false);
  });

  it('session with the root strategy: elevates without a prompt and reads the lab through the helper', async () => {
    const command = insideLab(lab, rootHelperCommand({ runtime: process.execPath, script: bundles.helper }));
    const session = new PrivilegeSession(async () => ({ strategy: rootStrategy(command) }));
    const state = await session.elevate();
    expect(state).toMatchObject({ status: 'elevated', method: 'root', helperPid: expect.any(Number) });
    const snapshot = await session.helper().observe();
    expect(snapshot.links.map((l) => l.name)).toEqual(['lo']);
    await session.dispose();
    expect(await isRunning(lab, (state as { helperPid: number }).helperPid)).toBe(false);
  });

  describe('pkexec strategy with a stand-in pkexec first on PATH', () => {
    const elevateWith = async (pkexecDir: string) => {
      const command = pkexecHelperCommand({ ...process.env, PATH: `${pkexecDir}:${process.env.PATH}` });
      return new PrivilegeSession(async () => ({ strategy: pkexecStrategy(command) })).elevate();
    };

    it('exit 126 (dialog dismissed) -> dismissed, read-only', async () => {
      await expect(elevateWith(await fakePkexec('exit 126'))).resolves.toMatchObject({ status: 'refused', reason: 'dismissed' });
    });

    it('exit 127 (not authorized) -> not-authorized', async () => {
      const dir = await fakePkexec('echo "Error executing command as another user: Not authorized" >&2\nexit 127');
      await expect(elevateWith(dir)).resolves.toMatchObject({ status: 'refused', reason: 'not-authorized', message: expect.stringContaining('did not authorize') });
    });

    it('exit 127 without an agent -> not-authorized, saying so', async () => {
      const dir = await fakePkexec('echo "Error executing command as another user: No authentication agent found." >&2\nexit 127');
      await expect(elevateWith(dir)).resolves.toMatchObject({ status: 'refused', reason: 'not-authorized', message: expect.stringContaining('polkit authentication agent') });
    });

    it('a helper that answers garbage -> helper-crashed', async () => {
      const dir = await fakePkexec('echo "polkit says hello"\ncat >/dev/null');
      await expect(elevateWith(dir)).resolves.toMatchObject({ status: 'refused', reason: 'helper-crashed' });
    });

    it('granted: runs the installed launcher, which runs the helper bundle as root', async () => {
      // install the package's files inside the lab only: /opt/KVMNet and /usr/libexec/kvmnet
      await overlay(lab, '/opt');
      await overlay(lab, '/usr/libexec');
      await lab.sh('mkdir', ['-p', '/opt/KVMNet/resources/helper', '/usr/libexec/kvmnet']);
      await lab.sh('ln', ['-s', process.execPath, '/opt/KVMNet/kvmnet']);
      await lab.sh('cp', [bundles.helper, '/opt/KVMNet/resources/helper/kvmnet-helper.cjs']);
      await lab.sh('install', ['-m', '0755', resolve('resources/linux/kvmnet-helper'), PKEXEC_LAUNCHER_PATH]);
      const dir = await fakePkexec(
        [
          `[ "$#" -eq 2 ] && [ "$1" = --disable-internal-agent ] && [ "$2" = ${PKEXEC_LAUNCHER_PATH} ] || { echo "unexpected pkexec arguments: $*" >&2; exit 99; }`,
          `exec ${lab.enter.join(' ')} "$2"`,
        ].join('\n'),
      );
      const command = pkexecHelperCommand({ ...process.env, PATH: `${dir}:${process.env.PATH}` });
      const session = new PrivilegeSession(async () => ({ strategy: pkexecStrategy(command) }));
      const state = await session.elevate();
      expect(state).toMatchObject({ status: 'elevated', method: 'pkexec' });
      const exited = session.helper().exited;
      await session.dispose();
      await expect(exited).resolves.toMatchObject({ code: 0 });
    });
  });

  describe('sudo-prompt strategy, real sudo-prompt, with a stand-in /usr/bin/pkexec in the lab', () => {
    let runtimeDir: string;
    const drive = async (pkexecBody: string, appImage?: string) => {
      await lab.sh('sh', ['-c', `printf '#!/bin/sh\\n%s\\n' '${pkexecBody}' > /usr/bin/pkexec && chmod 0755 /usr/bin/pkexec`]);
      const args = [bundles.sudoPromptDriver, process.execPath, bundles.helper, ...(appImage ? [appImage] : [])];
      const run = await lab.run(process.execPath, args, { env: { XDG_RUNTIME_DIR: runtimeDir } });
      return run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    };

    beforeAll(async () => {
      await overlay(lab, '/usr/bin');
      runtimeDir = await scratchDir('kvmnet-runtime-');
    });

    it('granted: the helper runs as root with its stdio on the FIFOs, and exits on dispose', async () => {
      // like pkexec after a successful dialog: run the rest of the command line as root
      const lines = await drive('[ "$1" = --disable-internal-agent ] && shift; exec "$@"');
      expect(lines[0]).toMatchObject({ state: { status: 'elevated', method: 'sudo-prompt' } });
      expect(lines[1]).toMatchObject({ ping: { uid: 0 } });
      expect(lines[2]).toMatchObject({ exit: { code: 0 } });
      expect(await readdir(runtimeDir)).toEqual([]);
    });

    it('from an AppImage: root runs the AppImage file on a copy of the helper script', async () => {
      // stands in for the AppImage file: records its arguments, then runs them under node
      const dir = await scratchDir('kvmnet-appimage-');
      const appImage = join(dir, 'KVMNet-0.1.0.AppImage');
      await writeFile(appImage, `#!/bin/sh\necho "$ELECTRON_RUN_AS_NODE $*" > ${dir}/argv\nexec ${process.execPath} "$@"\n`);
      await chmod(appImage, 0o755);
      const lines = await drive('[ "$1" = --disable-internal-agent ] && shift; exec "$@"', appImage);
      expect(lines[0]).toMatchObject({ state: { status: 'elevated', method: 'sudo-prompt' } });
      expect(lines[1]).toMatchObject({ ping: { uid: 0 } });
      expect(await readFile(join(dir, 'argv'), 'utf8')).toMatch(new RegExp(`^1 ${runtimeDir}/kvmnet-helper-\\w+/kvmnet-helper\\.cjs\\n$`));
      expect(await readdir(runtimeDir)).toEqual([]);
    });

    it('dismissed: pkexec exits 126, sudo-prompt says "User did not grant permission." -> dismissed', async () => {
      const lines = await drive('exit 126');
      expect(lines).toEqual([{ state: expect.objectContaining({ status: 'refused', reason: 'dismissed' }) }]);
      expect(await readdir(runtimeDir)).toEqual([]);
    });
  });
});
