import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planNmBridge, type NmBridgePlan } from '../../../main/core/bridge-to-lan/plan-nm-bridge';
import { createCheckpoint, destroyCheckpoint, readCheckpointSupport, rollbackCheckpoint } from '../../../main/host/network-manager/checkpoint';
import { readUplink } from '../../../main/host/network-manager/uplink-profile';
import { networkManagerLabUnavailableReason } from '../../lab/network-manager';
import { activeProfiles, connectEth0, kernelLink, profileUuids, runOperations, startNmLab, waitForProfile, type NmLab } from './nm-lab-steps';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped NetworkManager checkpoint tests: ${skip}`);

describe.skipIf(skip)('NetworkManager checkpoints driven by KVMNet', () => {
  let nmLab: NmLab;
  let addresses: string[];
  let profilesBefore: string[];
  const planBridge = async (): Promise<NmBridgePlan> =>
    planNmBridge({ uplink: await readUplink('eth0', nmLab.nm.run), bridgeName: 'br0', bridgeUuid: randomUUID(), portUuid: randomUUID() });
  const checkpoints = async () => {
    const support = await readCheckpointSupport(nmLab.nm.run);
    return support.available ? support.checkpoints : support.reason;
  };

  beforeAll(async () => {
    nmLab = await startNmLab();
    await connectEth0(nmLab, 'home', ['ipv4.method', 'auto', 'ipv6.method', 'auto']);
    addresses = (await kernelLink(nmLab.lab, 'eth0'))!.addresses;
    profilesBefore = await profileUuids(nmLab.nm);
  });
  afterAll(async () => { await nmLab?.lab.close(); });

  it('rolls back on request: a checkpoint of eth0 alone restores it and deletes the new profiles', async () => {
    const { nm } = nmLab;
    const plan = await planBridge();
    const checkpoint = await createCheckpoint({ devices: ['eth0'], rollbackTimeoutSeconds: 60 }, nm.run);
    expect(await checkpoints()).toEqual([checkpoint]);
    await runOperations(nm, plan.apply);
    await waitForProfile(nmLab, 'br0', plan.bridge.id, addresses, 5000);

    const results = await rollbackCheckpoint(checkpoint, nm.run);
    expect(Object.values(results)).toEqual(['ok']);
    await waitForProfile(nmLab, 'eth0', 'home', addresses, 10_000);
    expect(await profileUuids(nm)).toEqual(profilesBefore);
    expect(await kernelLink(nmLab.lab, 'br0')).toBeUndefined();
    expect(await checkpoints()).toEqual([]);
  });

  it('commits on destroy: the bridge outlives the rollback timeout', async () => {
    const { nm } = nmLab;
    const plan = await planBridge();
    const checkpoint = await createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 2 }, nm.run);
    await runOperations(nm, plan.apply);
    await waitForProfile(nmLab, 'br0', plan.bridge.id, addresses, 1500);
    await destroyCheckpoint(checkpoint, nm.run);
    expect(await checkpoints()).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(await activeProfiles(nm)).toMatchObject({ eth0: plan.port.id, br0: plan.bridge.id });
    expect((await kernelLink(nmLab.lab, 'br0'))?.addresses).toEqual(addresses);
    await expect(rollbackCheckpoint(checkpoint, nm.run)).rejects.toThrow(`checkpoint ${checkpoint} does not exist`);
  });

  it('refuses a second checkpoint over the same devices, naming the conflict', async () => {
    const first = await createCheckpoint({ devices: ['eth0'], rollbackTimeoutSeconds: 60 }, nmLab.nm.run);
    await expect(createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 60 }, nmLab.nm.run)).rejects.toThrow(/already included in checkpoint/);
    await destroyCheckpoint(first, nmLab.nm.run);
  });

  it('refuses unknown devices and bad timeouts before calling NetworkManager', async () => {
    await expect(createCheckpoint({ devices: ['nosuch0'], rollbackTimeoutSeconds: 5 }, nmLab.nm.run)).rejects.toThrow(/No device found/);
    await expect(createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: 0 }, nmLab.nm.run)).rejects.toThrow(/rollbackTimeoutSeconds/);
    expect(await checkpoints()).toEqual([]);
  });
});
