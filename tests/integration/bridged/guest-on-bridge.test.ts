import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestUnavailableReason, startGuest } from '../../lab/guest';
import { networkManagerLabUnavailableReason } from '../../lab/network-manager';
import { startBridgedLab, waitForOutput, type BridgedLab } from './bridged-lab';

const skip = networkManagerLabUnavailableReason() ?? await guestUnavailableReason();
if (skip) console.log(`skipped the guest-on-a-LAN-bridge proof: ${skip}`);

const GUEST_MAC = '52:54:00:5a:00:01';

describe.skipIf(skip)('a TCG guest on a bridge to the LAN made through NetworkManager', () => {
  let b: BridgedLab;
  beforeAll(async () => {
    b = await startBridgedLab({ networkManager: true });
  }, 120_000);
  afterAll(async () => { await b?.close(); });

  it("gets its lease from the router's dnsmasq, and the router reaches it", async () => {
    const create = b.spawnKvmnet('create', 'bridged', 'lan', '--uplink', 'eth0', '--no-wait');
    await waitForOutput(create.output, 'waiting for confirmation', 30_000);
    expect((await create.proc).exitCode, create.output()).toBe(0);
    expect((await b.kvmnet('confirm', 'lan')).exitCode).toBe(0);

    await b.lab.sh('ip', ['tuntap', 'add', 'dev', 'tap0', 'mode', 'tap']);
    await b.lab.sh('ip', ['link', 'set', 'tap0', 'master', 'br-lan', 'up']);
    const guest = await startGuest(b.lab, {
      netArgs: ['-netdev', 'tap,id=n0,ifname=tap0,script=no,downscript=no', '-device', `virtio-net-pci,netdev=n0,mac=${GUEST_MAC}`],
      behaviour: { ping: ['203.0.113.1'], staySeconds: 30 },
      timeoutMs: 120_000,
    });
    try {
      const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
      expect(lease.kind, guest.transcript()).toBe('LEASE');
      if (lease.kind !== 'LEASE') return;
      console.log(`guest on br-lan: lease ${lease.ip} from the router ${lease.atMs} ms after QEMU started`);
      expect(lease.ip).toMatch(/^203\.0\.113\.1\d\d$/);
      expect(lease.router).toBe('203.0.113.1');
      expect(await b.router.leases()).toContain(`${GUEST_MAC} ${lease.ip}`);
      expect((await guest.waitFor(['PING_OK', 'PING_FAIL'])).kind).toBe('PING_OK');
      const fromRouter = await b.lab.run('ip', ['netns', 'exec', 'router', 'busybox', 'ping', '-c', '1', '-W', '3', lease.ip]);
      expect(fromRouter.exitCode, fromRouter.stdout + fromRouter.stderr).toBe(0);
    } finally {
      await guest.close();
    }
  }, 180_000);
});
