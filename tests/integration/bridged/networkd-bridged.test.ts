import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { networkdLabUnavailableReason } from '../../lab/networkd';
import { waitFor } from '../../lab/network-manager';
import { kernelLink, LAPTOP_MAC, pings } from '../nm/nm-lab-steps';
import { pendingTimerPid } from './bridged-lab';
import { STATIC_ADDRESS, USER_NETWORK_FILE, startBridgedLab, waitForOutput, type BridgedLab, type LanSnapshot } from './bridged-lab';

const skip = networkdLabUnavailableReason();
if (skip) console.log(`skipped bridge-to-LAN systemd-networkd proofs: ${skip}`);

const TIMEOUT_S = 15;
const KVMNET_FILES = ['10-kvmnet-br-lan.netdev', '10-kvmnet-br-lan.network', '10-kvmnet-eth0-port.network'];

const listing = async (b: BridgedLab): Promise<string[]> => (await b.lab.sh('ls', ['/etc/systemd/network'])).split('\n').filter(Boolean).sort();

function restoredWithin(b: BridgedLab, before: () => LanSnapshot) {
  return (timeoutMs: number) => waitFor('the laptop did not get back exactly what it had', async () =>
    (JSON.stringify(await b.snapshot()) === JSON.stringify(before()) ? true : undefined), timeoutMs, () => `${JSON.stringify(before(), null, 1)}\n${b.networkd?.log() ?? ''}`);
}

describe.skipIf(skip)('kvmnet create bridged on a laptop whose eth0 systemd-networkd configures by DHCP', () => {
  let b: BridgedLab;
  let before: LanSnapshot;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: false, networkd: 'dhcp' });
    console.log(`networkd lab: networkd configured eth0 ${b.networkd!.startupMs.toFixed(0)} ms after its first mount`);
  }, 120_000);
  // each test starts from eth0 on its own DHCP lease, not from what the one before left mid-way
  beforeEach(async () => {
    await waitFor('eth0 is not back on its own lease', async () => {
      const eth0 = await kernelLink(b.lab, 'eth0');
      return eth0?.addresses.length === 1 && eth0.master === undefined && (await listing(b)).length === 1 ? true : undefined;
    }, 20_000, () => b.networkd!.log());
    before = await b.snapshot();
  });
  afterAll(async () => { await b?.close(); });
  const restored = (timeoutMs: number) => restoredWithin(b, () => before)(timeoutMs);

  it('writes KVMNet\'s own files, the bridge gets the same DHCP lease, confirm keeps it through a networkd reload and a reboot, delete restores everything', async () => {
    const [leased] = (await kernelLink(b.lab, 'eth0'))!.addresses;
    expect(leased).toMatch(/^203\.0\.113\.1\d\d\/24$/);
    const started = performance.now();
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 30_000);
    const pendingAfter = performance.now() - started;
    expect(create.output()).not.toContain('will NOT survive a reboot');
    expect(create.output()).toContain('checked: the gateway 203.0.113.1 answers from br-lan');
    expect(create.output()).toContain('checked: DNS unchanged (203.0.113.1)');

    expect(await kernelLink(b.lab, 'br-lan')).toMatchObject({ mac: LAPTOP_MAC, addresses: [leased] });
    expect(await kernelLink(b.lab, 'eth0')).toMatchObject({ master: 'br-lan', addresses: [] });
    expect(await b.lab.sh('ip', ['-4', 'route', 'show', 'default'])).toContain('default via 203.0.113.1 dev br-lan proto dhcp');
    // one lease, the laptop's MAC, the address it had
    const leases = (await b.router.leases()).trim().split('\n');
    expect(leases).toHaveLength(1);
    expect(leases[0]).toContain(`${LAPTOP_MAC} ${leased!.split('/')[0]}`);
    expect(await pings(b.lab, b.router.gateway)).toBe(true);

    expect(await listing(b)).toEqual([...KVMNET_FILES, USER_NETWORK_FILE].sort());
    // (execa drops the last newline of what cat prints)
    expect(await b.lab.sh('cat', [`/etc/systemd/network/${USER_NETWORK_FILE}`])).toBe('[Match]\nName=eth0\n\n[Network]\nDHCP=ipv4');
    expect(await b.lab.sh('cat', ['/etc/systemd/network/10-kvmnet-br-lan.network'])).toMatch(/^\[Match\]\nName=br-lan\n\n\[Network\]\nDHCP=ipv4\n\n\[DHCPv4\]\nIAID=\d+$/);
    expect(await b.lab.sh('cat', ['/etc/systemd/network/10-kvmnet-br-lan.netdev'])).toContain(`MACAddress=${LAPTOP_MAC}`);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([expect.objectContaining({ name: 'lan', state: 'pending-create', persistence: 'systemd-networkd' })]);

    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);
    expect((await create.proc).exitCode, create.output()).toBe(0);
    console.log(`create bridged (systemd-networkd): applied and verified in ${pendingAfter.toFixed(0)} ms`);
    // past the deadline, and networkd told to read its files again: the bridge is networkd's own now
    await new Promise((r) => setTimeout(r, Math.max(0, (TIMEOUT_S + 2) * 1000 - (performance.now() - started))));
    await b.networkd!.networkctl(['reload']);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await kernelLink(b.lab, 'br-lan')).toMatchObject({ addresses: [leased] });
    expect(await kernelLink(b.lab, 'eth0')).toMatchObject({ master: 'br-lan' });
    expect(await b.networkd!.networkctl(['list', '--no-legend'])).toMatch(/br-lan +bridge +routable +configured/);
    // a reboot: networkd alone brings the bridge back from the files, with the same lease
    await b.networkd!.reboot(['eth0', 'br-lan']);
    await waitFor('br-lan did not get its lease back after the reboot', async () => ((await kernelLink(b.lab, 'br-lan'))?.addresses[0] === leased ? true : undefined), 15_000, b.networkd!.log);
    expect(await kernelLink(b.lab, 'br-lan')).toMatchObject({ mac: LAPTOP_MAC, addresses: [leased] });
    expect(await kernelLink(b.lab, 'eth0')).toMatchObject({ master: 'br-lan', addresses: [] });
    expect(await pings(b.lab, b.router.gateway)).toBe(true);

    const deleteStarted = performance.now();
    const deleted = await b.kvmnet('delete', 'lan');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    console.log(`delete bridged (systemd-networkd): ${(performance.now() - deleteStarted).toFixed(0)} ms`);
    await restored(10_000);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([]);
    expect((await kernelLink(b.lab, 'eth0'))?.addresses).toEqual([leased]);
  }, 120_000);

  it('unconfirmed: rolled back at the deadline, the user\'s .network in charge of eth0 again', async () => {
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 30_000);
    const pending = JSON.parse(await b.lab.sh('cat', ['/run/kvmnet/pending/lan.json'])) as { deadline: string; persistence: string };
    expect(pending.persistence).toBe('systemd-networkd');
    expect(await listing(b)).toEqual([...KVMNET_FILES, USER_NETWORK_FILE].sort());
    const ended = await create.proc;
    expect(ended.exitCode, create.output()).toBe(1);
    expect(create.output()).toContain('rolled back, eth0 is as it was before');
    await restored(10_000);
    const late = Date.now() - Date.parse(pending.deadline);
    console.log(`unconfirmed bridge (systemd-networkd, ${TIMEOUT_S} s): eth0 restored ${(late / 1000).toFixed(1)} s after the deadline`);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([]);
  }, 90_000);

  it('with the process that applied it killed (kill -9) before confirmation: its timer rolls back at the deadline', async () => {
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', String(TIMEOUT_S));
    await waitForOutput(create.output, 'waiting for confirmation', 30_000);
    const pending = JSON.parse(await b.lab.sh('cat', ['/run/kvmnet/pending/lan.json'])) as { deadline: string };
    expect(await pendingTimerPid(create)).toBeGreaterThan(0);
    process.kill(await create.pid(), 'SIGKILL');
    await create.proc;
    expect((await kernelLink(b.lab, 'eth0'))?.master).toBe('br-lan');
    await restored(Date.parse(pending.deadline) - Date.now() + 10_000);
    const late = Date.now() - Date.parse(pending.deadline);
    console.log(`helper killed (systemd-networkd): the timer restored eth0 and /etc/systemd/network ${(late / 1000).toFixed(1)} s after the deadline`);
    expect(late).toBeLessThan(5000);
    expect(JSON.parse((await b.kvmnet('bridges', '--json')).stdout)).toEqual([]);
  }, 90_000);

  it('with the gateway silent during verification: rolled back at once (exit 1)', async () => {
    await b.lab.sh('ip', ['netns', 'exec', 'router', 'sysctl', '-q', '-w', 'net.ipv4.conf.lan0.arp_ignore=8']);
    try {
      const started = performance.now();
      const created = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', '60');
      expect(created.exitCode, created.stderr).toBe(1);
      expect(created.stderr).toContain('check failed: the gateway 203.0.113.1 does not answer from br-lan');
      expect(created.stderr).toContain('rolled back: eth0 is as it was before');
      // eth0's DHCP lease comes back once the router answers ARP again; the files, links and record are back already
      expect(await listing(b)).toEqual([USER_NETWORK_FILE]);
      expect(await kernelLink(b.lab, 'br-lan')).toBeUndefined();
      console.log(`gateway silent during verification (systemd-networkd): rolled back ${(performance.now() - started).toFixed(0)} ms after create started`);
    } finally {
      await b.lab.sh('ip', ['netns', 'exec', 'router', 'sysctl', '-q', '-w', 'net.ipv4.conf.lan0.arp_ignore=0']);
    }
    await restored(15_000);
    expect(await pings(b.lab, b.router.gateway)).toBe(true);
  }, 90_000);

  it('dry run: prints the networkd steps and changes nothing', async () => {
    const dryRun = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--dry-run');
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('# write /etc/systemd/network/10-kvmnet-br-lan.netdev');
    expect(dryRun.stdout).toContain('networkctl reload');
    const clash = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--bridge', 'eth0-port', '--dry-run');
    expect(clash.exitCode, clash.stderr).toBe(2);
    expect(clash.stderr).toContain('would share its networkd file');
    expect(await b.snapshot()).toEqual(before);
  }, 60_000);
});

describe.skipIf(skip)('kvmnet create bridged on a laptop whose eth0 systemd-networkd configures statically', () => {
  let b: BridgedLab;
  beforeAll(async () => { b = await startBridgedLab({ networkManager: false, networkd: 'static' }); }, 120_000);
  afterAll(async () => { await b?.close(); });

  it('carries the static address, gateway and extra route over to the bridge; delete restores everything', async () => {
    const before = await b.snapshot();
    const created = await b.kvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--confirm-timeout', '60', '--no-wait');
    expect(created.exitCode, created.stderr).toBe(0);
    expect(await kernelLink(b.lab, 'br-lan')).toMatchObject({ mac: LAPTOP_MAC, addresses: [STATIC_ADDRESS] });
    const routes = await b.lab.sh('ip', ['-4', 'route', 'show']);
    expect(routes).toContain('default via 203.0.113.1 dev br-lan proto static');
    expect(routes).toContain('198.51.100.0/24 via 203.0.113.254 dev br-lan proto static');
    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);
    const deleted = await b.kvmnet('delete', 'lan');
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    await restoredWithin(b, () => before)(10_000);
  }, 90_000);
});
