import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { networkManagerLabUnavailableReason, waitFor } from '../../lab/network-manager';
import { kernelLink, pings } from '../nm/nm-lab-steps';
import { startBridgedLab, waitForOutput, type BridgedLab, type LanSnapshot } from './bridged-lab';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped bridge-to-LAN NetworkManager proofs: ${skip}`);

const TIMEOUT_S = 20;

describe.skipIf(skip)('kvmnet create bridged through NetworkManager, in a lab with a DHCP router', () => {
  let b: BridgedLab;
  let before: LanSnapshot;
  let eth0Address: string;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: true });
  }, 120_000);
  beforeEach(async () => {
    before = await b.snapshot();
    eth0Address = (await kernelLink(b.lab, 'eth0'))!.addresses[0]!;
  });
  afterAll(async () => { await b?.close(); });

  const backToHome = async () => {
    await waitFor('eth0 did not get "home" back', async () => {
      const now = await b.snapshot();
      return JSON.stringify(now) === JSON.stringify(before) ? true : undefined;
    }, 30_000, () => b.nm!.log().slice(-3000));
  };

  it('bridges eth0 as br-lan with its DHCP lease, waits, and keeps it on kvmnet confirm from another process; delete restores the profiles and addresses', async () => {
    const started = performance.now();
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 30_000);
    const pendingAfter = performance.now() - started;

    const br = await kernelLink(b.lab, 'br-lan');
    expect(br?.addresses).toEqual([eth0Address]);
    expect(br?.mac).toBe((await kernelLink(b.lab, 'eth0'))?.mac);
    expect((await kernelLink(b.lab, 'eth0'))?.master).toBe('br-lan');
    expect(await pings(b.lab, b.router.gateway)).toBe(true);
    expect((await b.router.leases()).split('\n').filter(Boolean)).toHaveLength(1);
    expect(create.output()).toMatch(/checked: the gateway 203\.0\.113\.1 answers from br-lan \(ARP: /);
    expect(create.output()).toMatch(/checked: DNS unchanged \(203\.0\.113\.1\)/);

    const listed = JSON.parse((await b.kvmnet('bridges', '--json')).stdout) as { name: string; state: string; secondsLeft: number }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'lan', state: 'pending-create', persistence: 'networkmanager', uplink: 'eth0', bridge: 'br-lan' })]);
    expect(listed[0]!.secondsLeft).toBeGreaterThan(0);

    const confirm = await b.kvmnet('confirm', 'lan');
    expect(confirm.exitCode, confirm.stderr).toBe(0);
    const created = await create.proc;
    expect(created.exitCode, create.output()).toBe(0);
    console.log(`create bridged (NetworkManager, DHCP): applied and verified in ${pendingAfter.toFixed(0)} ms`);

    // confirmed: it outlives the deadline
    await new Promise((r) => setTimeout(r, (TIMEOUT_S + 4) * 1000 - (performance.now() - started)));
    expect((await kernelLink(b.lab, 'br-lan'))?.addresses).toEqual([eth0Address]);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([expect.objectContaining({ name: 'lan', state: 'active' })]);

    const deleteStarted = performance.now();
    const deleted = await b.kvmnet('delete', 'lan');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    console.log(`delete bridged (NetworkManager): ${(performance.now() - deleteStarted).toFixed(0)} ms`);
    await backToHome();
    expect(await pings(b.lab, b.router.gateway)).toBe(true);
  }, 120_000);
});
