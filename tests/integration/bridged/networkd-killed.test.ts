import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkdLabUnavailableReason } from '../../lab/networkd';
import { waitFor } from '../../lab/network-manager';
import { HelperProcess } from '../helper/helper-process';
import { startBridgedLab, USER_NETWORK_FILE, waitForOutput, type BridgedLab, type LanSnapshot } from './bridged-lab';

const skip = networkdLabUnavailableReason();
if (skip) console.log(`skipped the proofs of a networkd bridge apply killed by kill -9: ${skip}`);

const TIMEOUT_S = 60;
const ARMED = '/mnt/kill-before-reload';
const KVMNET_FILES = ['10-kvmnet-br-lan.netdev', '10-kvmnet-br-lan.network', '10-kvmnet-eth0-port.network'];

/**
 * networkctl for this lab only (bind-mounted over /usr/bin/networkctl in the lab's private mount
 * namespace): while armed, `networkctl reload` kills its caller (kvmnet applying in-process) with
 * SIGKILL instead of running: KVMNet's files are in /etc/systemd/network, networkd never heard of
 * them, the journal says what to undo.
 */
const KILLING_NETWORKCTL = `#!/bin/sh
if [ "$1" = reload ] && [ -e ${ARMED} ]; then rm -f ${ARMED}; kill -9 "$PPID"; exit 1; fi
exec /mnt/networkctl.real "$@"
`;

describe.skipIf(skip)('a networkd bridge apply killed (kill -9) after its files are written, before networkctl reload', () => {
  let b: BridgedLab;
  let before: LanSnapshot;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false, networkd: 'static' });
    await b.lab.sh('cp', ['/usr/bin/networkctl', '/mnt/networkctl.real']);
    await b.lab.sh('sh', ['-c', 'cat > /mnt/networkctl-killing && chmod 0755 /mnt/networkctl-killing'], { input: KILLING_NETWORKCTL });
    await b.lab.sh('mount', ['--bind', '/mnt/networkctl-killing', '/usr/bin/networkctl']);
    before = await b.snapshot();
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  const listing = async (): Promise<string[]> => (await b.lab.sh('ls', ['/etc/systemd/network'])).split('\n').filter(Boolean).sort();
  const settledAt = (want: () => LanSnapshot, timeoutMs: number) => waitFor('the laptop is not as expected', async () =>
    (JSON.stringify(await b.snapshot()) === JSON.stringify(want()) ? true : undefined), timeoutMs, () => `${JSON.stringify(want(), null, 1)}\n${b.networkd?.log() ?? ''}`);
  const names = async (): Promise<string[]> => (JSON.parse((await b.kvmnet('bridges', '--json')).stdout) as { name: string }[]).map((r) => r.name);

  /** kvmnet create bridged lan, killed at networkctl reload: the files and the record are there, the bridge is not */
  async function createKilled(): Promise<void> {
    await b.lab.sh('touch', [ARMED]);
    const killed = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    expect(killed.exitCode, killed.stderr).not.toBe(0);
    expect((await b.lab.run('test', ['-e', ARMED])).exitCode, 'the create was not killed at networkctl reload').not.toBe(0);
    expect(await listing()).toEqual([...KVMNET_FILES, USER_NETWORK_FILE].sort());
    expect(await names()).toEqual(['lan']);
  }

  it('the next helper start rolls it back: /etc/systemd/network, links, addresses and routes exactly as before', async () => {
    await createKilled();
    const helper = HelperProcess.start(b.lab);
    expect(await helper.close(), helper.stderr).toBe(0);
    expect(helper.stderr).toMatch(/rolled back unfinished apply \S+ \(bridge eth0 to the LAN as br-lan through systemd-networkd \(network lan\)\)/);
    expect(helper.stderr).not.toMatch(/could not restore/);
    expect(await listing()).toEqual([USER_NETWORK_FILE]);
    await settledAt(() => before, 20_000);
    expect(await names()).toEqual([]);
  }, 120_000);

  it('kvmnet create bridged retried at once rolls the killed apply back first, says so, and bridges as a fresh create does', async () => {
    // the host a create that nobody interrupted leaves, then back to before
    const fresh = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(fresh.output, 'waiting for confirmation', 60_000);
    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);
    expect((await fresh.proc).exitCode, fresh.output()).toBe(0);
    const bridged = await b.snapshot();
    expect(bridged).not.toEqual(before);
    expect((await b.kvmnet('delete', 'lan')).exitCode).toBe(0);
    await settledAt(() => before, 20_000);

    await createKilled();
    const retry = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(retry.output, 'waiting for confirmation', 60_000);
    expect(retry.output()).toMatch(/kvmnet: rolled back unfinished apply \S+ \(bridge eth0 to the LAN as br-lan through systemd-networkd \(network lan\)\) \(request in-process, \d+ step\(s\)\)/);
    expect(retry.output()).not.toContain('exists already');
    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);
    expect((await retry.proc).exitCode, retry.output()).toBe(0);
    await settledAt(() => bridged, 20_000);

    expect((await b.kvmnet('delete', 'lan')).exitCode).toBe(0);
    await settledAt(() => before, 20_000);
  }, 240_000);
});
