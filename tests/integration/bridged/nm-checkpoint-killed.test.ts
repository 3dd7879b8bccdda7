import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkManagerLabUnavailableReason } from '../../lab/network-manager';
import { HelperProcess } from '../helper/helper-process';
import { kernelLink } from '../nm/nm-lab-steps';
import { startBridgedLab, waitForOutput, type BridgedLab, type LanSnapshot } from './bridged-lab';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped the proof of a checkpoint orphaned by kill -9: ${skip}`);

/** far beyond the test: only KVMNet, not NetworkManager's own timeout, can have rolled the checkpoint back */
const NM_TIMEOUT_S = 600;
const ARMED = '/mnt/kill-after-checkpoint';

/**
 * busctl for this lab only (bind-mounted over /usr/bin/busctl in the lab's private mount
 * namespace): runs the real one and, while armed, kills its caller (kvmnet, the helper in-process)
 * with SIGKILL right after NetworkManager answered CheckpointCreate: the checkpoint exists, and
 * KVMNet never got to write its path.
 */
const KILLING_BUSCTL = `#!/bin/sh
/mnt/busctl.real "$@"
rc=$?
case "$*" in *CheckpointCreate*)
  if [ -e ${ARMED} ]; then rm -f ${ARMED}; kill -9 "$PPID"; fi ;;
esac
exit $rc
`;

describe.skipIf(skip)('a bridge apply killed (kill -9) right after NetworkManager created its checkpoint', () => {
  let b: BridgedLab;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: true });
    await b.lab.sh('cp', ['/usr/bin/busctl', '/mnt/busctl.real']);
    await b.lab.sh('sh', ['-c', 'cat > /mnt/busctl-killing && chmod 0755 /mnt/busctl-killing'], { input: KILLING_BUSCTL });
    await b.lab.sh('mount', ['--bind', '/mnt/busctl-killing', '/usr/bin/busctl']);
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  const checkpoints = async (): Promise<string[]> => (JSON.parse((await b.lab.sh('busctl', ['--system', '--json=short', 'get-property',
    'org.freedesktop.NetworkManager', '/org/freedesktop/NetworkManager', 'org.freedesktop.NetworkManager', 'Checkpoints'])).trim()) as { data: string[] }).data;

  it('the recovery of the helper finds the checkpoint nobody recorded and rolls it back; the next create bridges as asked', async () => {
    const before = await b.snapshot();
    await b.lab.sh('touch', [ARMED]);
    const killed = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(NM_TIMEOUT_S));
    expect(killed.exitCode, killed.stderr).not.toBe(0);
    expect((await b.lab.run('test', ['-e', ARMED])).exitCode, 'the create was not killed at CheckpointCreate').not.toBe(0);
    const [orphan, ...others] = await checkpoints();
    expect(others).toEqual([]);
    expect(orphan).toMatch(/^\/org\/freedesktop\/NetworkManager\/Checkpoint\/\d+$/);
    expect((await b.lab.run('test', ['-e', '/run/kvmnet/nm-checkpoint/lan'])).exitCode).not.toBe(0);
    // killed before any profile was added: the host is as it was, except for the checkpoint
    expect(await b.snapshot()).toEqual(before);

    // the helper rolls back what a dead apply left, before it serves anything (here it then exits: stdin closes)
    const helper = HelperProcess.start(b.lab);
    expect(await helper.close(), helper.stderr).toBe(0);
    expect(helper.stderr).toMatch(/rolled back unfinished apply/);
    expect(helper.stderr).not.toMatch(/could not restore/);
    expect(await checkpoints()).toEqual([]);
    expect(await b.snapshot()).toEqual(before);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([]);

    // and the host takes a bridge again (NetworkManager refuses a checkpoint of a device already in one)
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(NM_TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 60_000);
    expect((await kernelLink(b.lab, 'eth0'))?.master).toBe('br-lan');
    expect(await checkpoints()).toEqual([(await b.lab.sh('cat', ['/run/kvmnet/nm-checkpoint/lan'])).trim()]);

    const confirm = await b.kvmnet('confirm', 'lan');
    expect(confirm.exitCode, confirm.stderr).toBe(0);
    expect((await create.proc).exitCode, create.output()).toBe(0);
    expect(await checkpoints()).toEqual([]);
  }, 180_000);

  /** profile UUIDs are new with each create: the rest of the host must be the same */
  const withoutUuids = (s: LanSnapshot): Record<string, string[]> => Object.fromEntries(Object.entries(s).map(([key, lines]: [string, string[]]) =>
    [key, lines.map((l) => l.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')).sort()]));

  it('kvmnet create bridged retried at once, no helper started in between: rolls the killed apply back first, says so, and bridges as a fresh create does', async () => {
    // the first test left lan bridged and confirmed: that is the host a fresh create leaves
    const fresh = withoutUuids(await b.snapshot());
    const deleted = await b.kvmnet('delete', 'lan');
    expect(deleted.exitCode, deleted.stderr).toBe(0);

    await b.lab.sh('touch', [ARMED]);
    const killed = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(NM_TIMEOUT_S));
    expect(killed.exitCode, killed.stderr).not.toBe(0);
    expect((await b.lab.run('test', ['-e', ARMED])).exitCode, 'the create was not killed at CheckpointCreate').not.toBe(0);
    // what made the retry fail: the record the killed apply wrote
    expect((JSON.parse((await b.kvmnet('bridges', '--json')).stdout) as { name: string }[]).map((r) => r.name)).toEqual(['lan']);

    const retry = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(NM_TIMEOUT_S));
    await waitForOutput(retry.output, 'waiting for confirmation', 60_000);
    expect(retry.output()).toMatch(/kvmnet: rolled back unfinished apply \S+ \(bridge eth0 to the LAN as br-lan through NetworkManager \(network lan\)\) \(request in-process/);
    expect(retry.output()).not.toMatch(/exists already|could not restore/);
    expect(await checkpoints()).toEqual([(await b.lab.sh('cat', ['/run/kvmnet/nm-checkpoint/lan'])).trim()]);
    const confirm = await b.kvmnet('confirm', 'lan');
    expect(confirm.exitCode, confirm.stderr).toBe(0);
    expect((await retry.proc).exitCode, retry.output()).toBe(0);
    expect(await checkpoints()).toEqual([]);
    expect(withoutUuids(await b.snapshot())).toEqual(fresh);
  }, 180_000);
});
