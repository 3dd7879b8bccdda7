import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { waitFor } from '../../lab/network-manager';
import { kernelLink, pings } from '../nm/nm-lab-steps';
import { STATIC_ADDRESS, startBridgedLab, waitForOutput, type BridgedLab, type LanSnapshot } from './bridged-lab';

const skip = labUnavailableReason();
if (skip) console.log(`skipped bridge-to-LAN runtime proofs: ${skip}`);

const TIMEOUT_S = 15;

describe.skipIf(skip)('kvmnet create bridged on a laptop without NetworkManager (runtime bridge)', () => {
  let b: BridgedLab;
  let before: LanSnapshot;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false });
  }, 120_000);
  beforeEach(async () => { before = await b.snapshot(); });
  afterAll(async () => { await b?.close(); });

  const restored = (timeoutMs: number) => waitFor('eth0 did not get its addressing back', async () =>
    (JSON.stringify(await b.snapshot()) === JSON.stringify(before) ? true : undefined), timeoutMs, () => JSON.stringify(before, null, 1));

  it('moves the MAC, address and routes onto the bridge, warns it is runtime only, confirm keeps it, delete restores eth0 exactly', async () => {
    const started = performance.now();
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--bridge', 'br0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 20_000);
    const pendingAfter = performance.now() - started;
    expect(create.output()).toContain('will NOT survive a reboot');
    const br = await kernelLink(b.lab, 'br0');
    expect(br).toMatchObject({ addresses: [STATIC_ADDRESS], mac: (await kernelLink(b.lab, 'eth0'))!.mac });
    expect((await kernelLink(b.lab, 'eth0'))).toMatchObject({ master: 'br0', addresses: [] });
    const routes = await b.lab.sh('ip', ['-4', 'route', 'show']);
    expect(routes).toContain('default via 203.0.113.1 dev br0 metric 100');
    expect(routes).toContain('198.51.100.0/24 via 203.0.113.254 dev br0');
    expect(await pings(b.lab, b.router.gateway)).toBe(true);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([expect.objectContaining({ name: 'lan', state: 'pending-create', persistence: 'runtime' })]);
    expect((await b.kvmnet('status')).stdout).toMatch(/Bridges to the LAN:\n.*\nlan +eth0 +br0 +nobody \(gone at reboot\) +waiting for confirmation until/);
    expect((await b.kvmnet('list')).stdout).toContain('Bridges to the LAN:');

    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);
    expect((await create.proc).exitCode, create.output()).toBe(0);
    console.log(`create bridged (runtime): applied and verified in ${pendingAfter.toFixed(0)} ms`);
    await new Promise((r) => setTimeout(r, (TIMEOUT_S + 2) * 1000 - (performance.now() - started)));
    expect((await kernelLink(b.lab, 'br0'))?.addresses).toEqual([STATIC_ADDRESS]);

    const deleteStarted = performance.now();
    const deleted = await b.kvmnet('delete', 'lan');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    console.log(`delete bridged (runtime): ${(performance.now() - deleteStarted).toFixed(0)} ms`);
    await restored(5000);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([]);
  }, 90_000);

  it('with the process that applied it killed (kill -9) before confirmation: its timer rolls back at the deadline', async () => {
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 20_000);
    const pending = JSON.parse(await b.lab.sh('cat', ['/run/kvmnet/pending/lan.json'])) as { deadline: string };
    process.kill(await create.pid(), 'SIGKILL');
    await create.proc;
    expect((await kernelLink(b.lab, 'eth0'))?.master).toBe('br-lan');
    await restored(Date.parse(pending.deadline) - Date.now() + 10_000);
    const late = Date.now() - Date.parse(pending.deadline);
    console.log(`helper killed (runtime): the timer restored eth0 ${(late / 1000).toFixed(1)} s after the deadline`);
    expect(late).toBeLessThan(5000);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([]);
  }, 90_000);

  it('with the gateway silent during verification: rolled back at once (exit 1)', async () => {
    await b.lab.sh('ip', ['netns', 'exec', 'router', 'sysctl', '-q', '-w', 'net.ipv4.conf.lan0.arp_ignore=8']);
    try {
      const created = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', '60');
      expect(created.exitCode, created.stderr).toBe(1);
      expect(created.stderr).toContain('does not answer from br-lan');
      await restored(5000);
    } finally {
      await b.lab.sh('ip', ['netns', 'exec', 'router', 'sysctl', '-q', '-w', 'net.ipv4.conf.lan0.arp_ignore=0']);
    }
  }, 60_000);

  it('refuses bad input with exit 2 and changes nothing', async () => {
    for (const [args, message] of [
      [['--uplink', 'nosuch0'], 'there is no interface nosuch0'],
      [['--uplink', 'eth0', '--confirm-timeout', '5'], 'confirmTimeoutSeconds: give yourself at least 15 s'],
      [['--uplink', 'eth0', '--bridge', 'lo'], 'an interface named lo exists already'],
      [['--uplink', 'lo'], 'lo is the loopback interface'],
      [[], '--uplink is required for bridged'],
    ] as const) {
      const r = await b.kvmnet('create', 'bridged', 'lan', ...args);
      expect(r.exitCode, r.stderr).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('nothing was changed');
    }
    const dryRun = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--dry-run');
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('move the MAC, addresses and routes of eth0 to a new bridge br-lan');
    expect(dryRun.stdout).toContain("ip link set dev eth0 master br-lan");
    expect(await b.snapshot()).toEqual(before);
  }, 60_000);
});
