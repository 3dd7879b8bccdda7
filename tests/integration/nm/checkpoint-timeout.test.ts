import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planNmBridge } from '../../../main/core/bridge-to-lan/plan-nm-bridge';
import { createCheckpoint, readCheckpointSupport } from '../../../main/host/network-manager/checkpoint';
import { readUplink } from '../../../main/host/network-manager/uplink-profile';
import { networkManagerLabUnavailableReason } from '../../lab/network-manager';
import { activeProfiles, connectEth0, kernelLink, pings, profileUuids, runOperations, startNmLab, waitForProfile, type NmLab } from './nm-lab-steps';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped NetworkManager checkpoint timeout test: ${skip}`);

const ROLLBACK_TIMEOUT_S = 5;

describe.skipIf(skip)('a NetworkManager checkpoint left alone', () => {
  let nmLab: NmLab;
  beforeAll(async () => { nmLab = await startNmLab(); });
  afterAll(async () => { await nmLab?.lab.close(); });

  it(`rolls the bridge back by itself after ${ROLLBACK_TIMEOUT_S} s: original profile, addresses, no new profiles or links`, async () => {
    const { lab, nm, router } = nmLab;
    await connectEth0(nmLab, 'home', ['ipv4.method', 'auto', 'ipv6.method', 'auto']);
    const addresses = (await kernelLink(lab, 'eth0'))!.addresses;
    const profilesBefore = await profileUuids(nm);
    const plan = planNmBridge({ uplink: await readUplink('eth0', nm.run), bridgeName: 'br0', bridgeUuid: randomUUID(), portUuid: randomUUID() });

    const created = performance.now();
    const checkpoint = await createCheckpoint({ devices: 'all', rollbackTimeoutSeconds: ROLLBACK_TIMEOUT_S }, nm.run);
    expect(checkpoint).toMatch(/^\/org\/freedesktop\/NetworkManager\/Checkpoint\/\d+$/);
    await runOperations(nm, plan.apply);
    await waitForProfile(nmLab, 'br0', plan.bridge.id, addresses, 3000);
    expect(await activeProfiles(nm)).toMatchObject({ eth0: plan.port.id });
    const bridgedAfter = performance.now() - created;

    // nothing confirms the change: NetworkManager must undo it on its own
    await waitForProfile(nmLab, 'eth0', 'home', addresses, (ROLLBACK_TIMEOUT_S + 5) * 1000);
    const restoredAfter = performance.now() - created;
    console.log(`checkpoint auto-rollback: bridged ${bridgedAfter.toFixed(0)} ms after create, restored ${restoredAfter.toFixed(0)} ms after create (timeout ${ROLLBACK_TIMEOUT_S} s)`);

    expect(restoredAfter).toBeGreaterThanOrEqual(ROLLBACK_TIMEOUT_S * 1000 - 100);
    expect(await kernelLink(lab, 'br0')).toBeUndefined();
    expect(await profileUuids(nm)).toEqual(profilesBefore);
    expect(await readCheckpointSupport(nm.run)).toMatchObject({ available: true, checkpoints: [] });
    expect(await pings(lab, router.gateway)).toBe(true);
  });
});
