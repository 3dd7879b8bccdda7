import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { startCliLab, type CliLab } from './cli-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped kvmnet unprivileged lab tests: ${skip}`);

const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];
const PATH = '/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin';

/**
 * The CLI run by an ordinary user: it reads the host itself and asks for root once, through
 * sudo-prompt (no KVMNet polkit action is installed in the lab). The password dialog cannot exist
 * here: a stand-in /usr/bin/pkexec, installed over the lab's own /usr/bin only, counts its calls
 * and answers as a dismissed dialog does.
 */
describe.skipIf(skip)('kvmnet as an unprivileged user', () => {
  let cli: CliLab;
  let before: Awaited<ReturnType<CliLab['state']>>;
  const asNobody = (env: Record<string, string>, ...args: string[]) =>
    cli.lab.run('setpriv', [...NOBODY, process.execPath, cli.cliPath, ...args], { env: { PATH, HOME: '/tmp', LC_ALL: 'C', ...env }, extendEnv: false });

  beforeAll(async () => {
    cli = await startCliLab();
    await cli.lab.sh('mkdir', ['-p', '/mnt/usr-bin/upper', '/mnt/usr-bin/work']);
    await cli.lab.sh('mount', ['-t', 'overlay', 'overlay', '-o', 'lowerdir=/usr/bin,upperdir=/mnt/usr-bin/upper,workdir=/mnt/usr-bin/work', '/usr/bin']);
    await cli.lab.sh('sh', ['-c', "mkdir -p -m 1777 /run/cli-test && printf '#!/bin/sh\\necho called >> /run/cli-test/pkexec-calls\\nexit 126\\n' > /usr/bin/pkexec && chmod 0755 /usr/bin/pkexec"]);
    await cli.settle();
    before = await cli.state();
  }, 120_000);
  afterAll(async () => {
    await cli?.close();
  });

  it('lists and plans without root: list and --dry-run need no password', async () => {
    const list = await asNobody({}, 'list', '--json');
    expect(list.exitCode, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
    const dry = await asNobody({}, 'create', 'nat', 'up', '--dry-run');
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('ip link add name kv-up type bridge');
    expect((await cli.lab.run('cat', ['/run/cli-test/pkexec-calls'])).exitCode).not.toBe(0);
  });

  it('without a graphical session says to use sudo, exits 1 and changes nothing', async () => {
    const r = await asNobody({}, 'create', 'nat', 'up');
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('kvmnet: could not get administrator rights: There is no graphical session');
    expect(r.stderr).toContain('run `sudo kvmnet` in a terminal instead');
    expect(r.stderr).toContain('kvmnet: nothing was changed');
    expect(await cli.state()).toEqual(before);
  });

  it('asks once for the password; a dismissed dialog exits 1 and changes nothing', async () => {
    const r = await asNobody({ DISPLAY: ':0' }, 'create', 'hostonly', 'up');
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stderr).toContain('kvmnet: could not get administrator rights: The password dialog was closed');
    expect((await cli.lab.sh('cat', ['/run/cli-test/pkexec-calls'])).trim().split('\n')).toEqual(['called']);
    expect(await cli.state()).toEqual(before);
  });
});
