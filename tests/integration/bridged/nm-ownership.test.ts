import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkManagerLabUnavailableReason } from '../../lab/network-manager';
import { HelperProcess } from '../helper/helper-process';
import { startBridgedLab, waitForOutput, type BridgedLab } from './bridged-lab';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped the NetworkManager ownership proofs: ${skip}`);

/**
 * The helper adds and deletes only the profiles a bridge record lists as KVMNet's, and only
 * switches the user's own profile off and on: asked for anything else, it refuses and nothing changes.
 */
describe.skipIf(skip)('the helper and NetworkManager profiles that are not KVMNet’s', () => {
  let b: BridgedLab;
  let helper: HelperProcess;
  let home: string;
  const profiles = async () => (await b.nm!.nmcli(['-g', 'UUID,NAME', 'connection', 'show'])).split('\n').filter(Boolean).sort();
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: true });
    home = (await b.nm!.nmcli(['-g', 'connection.uuid', 'connection', 'show', 'id', 'home'])).trim();
    helper = HelperProcess.start(b.lab);
  }, 120_000);
  afterAll(async () => {
    await helper?.close();
    await b?.close();
  });

  it('refuses to delete a profile when no KVMNet bridge names it', async () => {
    const before = await profiles();
    const deleted = await helper.apply([{ op: 'nm.connection.delete', network: 'lan', uuid: home }]);
    expect(deleted.response.ok).toBe(false);
    expect(JSON.stringify(deleted.response)).toContain('network lan has no NetworkManager bridge record');
    expect(await profiles()).toEqual(before);
  });

  it("never deletes the user's own uplink profile, even of a KVMNet bridge, and adds only the UUIDs its record lists", async () => {
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--no-wait');
    await waitForOutput(create.output, 'waiting for confirmation', 30_000);
    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);
    const before = await profiles();

    const deleted = await helper.apply([{ op: 'nm.connection.delete', network: 'lan', uuid: home }]);
    expect(JSON.stringify(deleted.response)).toContain('is the user\'s own profile \\"home\\": KVMNet only deactivates and reactivates it');
    const foreign = await helper.apply([{ op: 'nm.connection.add', network: 'lan', uuid: randomUUID(), type: 'bridge', id: 'kvmnet-other', ifname: 'br9', settings: [] }]);
    expect(JSON.stringify(foreign.response)).toContain('is not one KVMNet created for network lan');
    const secret = await helper.apply([{ op: 'nm.connection.add', network: 'lan', uuid: randomUUID(), type: 'ethernet', id: 'kvmnet-x', ifname: 'eth0', settings: [['802-1x.password', 'x']] }]);
    expect(secret.response).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await profiles()).toEqual(before);

    // a forged record that claims the user's profile as KVMNet's bridge is refused before it is written
    const record = JSON.parse(await b.lab.sh('cat', ['/etc/kvmnet/bridged/lan.json'])) as { nm: { bridgeUuid: string } };
    const forged = await helper.apply([{ op: 'bridged.record', network: 'forged', persistent: true, record: { ...record, name: 'forged', nm: { ...record.nm, bridgeUuid: home, uplinkProfile: { uuid: randomUUID(), id: 'x' } } } }]);
    expect(JSON.stringify(forged.response)).toContain(`profile ${home} (\\"home\\") exists and is not KVMNet's`);
    expect((await b.lab.run('test', ['-e', '/etc/kvmnet/bridged/forged.json'])).exitCode).not.toBe(0);

    const deletedBridge = await b.kvmnet('delete', 'lan');
    expect(deletedBridge.exitCode, deletedBridge.stderr).toBe(0);
  }, 90_000);
});
