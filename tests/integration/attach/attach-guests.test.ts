import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestUnavailableReason, startGuest, type Guest, type GuestBehaviour } from '../../lab/guest';
import { inSubnet, startNetworkLab, type NetworkLab } from '../networks/network-lab';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped kvmnet attach proofs with real guests: ${skip}`);

/** nobody: a user with no rights at all, so only the tap KVMNet gave it lets QEMU on the network */
const UNPRIVILEGED = 65534;
const GUEST_TIMEOUT_MS = 90_000;

interface QemuAttach {
  tap: string;
  mac: string;
  args: string[];
}

/**
 * The lines `kvmnet attach --print qemu` prints, run exactly as printed by QEMU as an
 * unprivileged user, on networks the CLI created: one lab (router, upstream, laptop with
 * libvirtd) holds a direct and a libvirt NAT network.
 */
describe.skipIf(skip)('guests started with the printed qemu lines', () => {
  let net: NetworkLab;
  const guests: Guest[] = [];
  const networks = { direct: { name: 'gd', subnet: '10.83.1.0/24', gateway: '10.83.1.1' }, libvirt: { name: 'gl', subnet: '10.83.2.0/24', gateway: '10.83.2.1' } } as const;

  beforeAll(async () => {
    net = await startNetworkLab('libvirt');
    for (const [backend, { name, subnet }] of Object.entries(networks)) {
      const created = await net.kvmnet('create', 'nat', name, '--backend', backend, '--subnet', subnet);
      if (created.exitCode !== 0) throw new Error(created.stderr);
    }
  }, 180_000);
  afterAll(async () => {
    await Promise.all(guests.map((g) => g.close()));
    await net?.close();
  });

  /** `sudo kvmnet attach NET --print qemu` for the unprivileged user */
  async function attach(network: string): Promise<QemuAttach> {
    const result = await net.kvmnetWithEnv({ SUDO_UID: String(UNPRIVILEGED) }, 'attach', network, '--print', 'qemu', '--json');
    expect(result.exitCode, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as QemuAttach;
  }

  async function boot(attached: QemuAttach, behaviour: GuestBehaviour): Promise<Guest> {
    const guest = await startGuest(net.topology.lab, { netArgs: attached.args, asUser: UNPRIVILEGED, behaviour, timeoutMs: GUEST_TIMEOUT_MS });
    guests.push(guest);
    return guest;
  }

  async function detach(network: string, tap: string): Promise<void> {
    const result = await net.kvmnet('detach', network, '--tap', tap);
    expect(result.exitCode, result.stderr).toBe(0);
    expect((await net.topology.lab.run('ip', ['link', 'show', 'dev', tap])).exitCode).not.toBe(0);
  }

  for (const backend of ['direct', 'libvirt'] as const) {
    it(`an unprivileged QEMU with exactly the printed args gets a lease on a ${backend} NAT network`, async () => {
      const { name, subnet, gateway } = networks[backend];
      const attached = await attach(name);
      const guest = await boot(attached, { ping: [gateway], waitSeconds: 15 });
      expect(await guest.waitFor('MAC')).toMatchObject({ dev: 'eth0', mac: attached.mac });
      const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
      expect(lease.kind, guest.transcript()).toBe('LEASE');
      expect(lease.kind === 'LEASE' && inSubnet(lease.ip, subnet)).toBe(true);
      expect(await guest.waitFor(['PING_OK', 'PING_FAIL'])).toMatchObject({ kind: 'PING_OK', target: gateway });
      const status = await readFile(`/proc/${guest.pid}/status`, 'utf8');
      expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(UNPRIVILEGED));
      await guest.close();
      await detach(name, attached.tap);
    }, 150_000);
  }

  it('a guest whose tap the printed qemu-ifup script put on the bridge gets a lease (the seeds\' flow, QEMU as root)', async () => {
    const { name, subnet } = networks.direct;
    const { lab } = net.topology;
    for (const kind of ['qemu-ifup', 'qemu-ifdown'] as const) {
      const printed = await net.kvmnet('attach', name, '--print', kind);
      expect(printed.exitCode, printed.stderr).toBe(0);
      await lab.sh('tee', [`/run/${kind}-${name}`], { input: `${printed.stdout}\n` });
      await lab.sh('chmod', ['755', `/run/${kind}-${name}`]);
    }
    const mac = '52:54:00:6b:73:01';
    const guest = await startGuest(lab, {
      netArgs: ['-netdev', `tap,id=n0,ifname=kvs0,script=/run/qemu-ifup-${name},downscript=/run/qemu-ifdown-${name}`, '-device', `virtio-net-pci,netdev=n0,mac=${mac}`],
      timeoutMs: GUEST_TIMEOUT_MS,
    });
    guests.push(guest);
    const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
    expect(lease.kind, guest.transcript()).toBe('LEASE');
    expect(lease.kind === 'LEASE' && inSubnet(lease.ip, subnet)).toBe(true);
    await guest.close();
    // QEMU made the tap and the ifdown script released it: nothing is left
    expect((await lab.run('ip', ['link', 'show', 'dev', 'kvs0'])).exitCode).not.toBe(0);
  }, 150_000);

  it('two guests attached without --mac get different MACs and ping each other', async () => {
    const { name } = networks.direct;
    const [left, right] = [await attach(name), await attach(name)];
    expect(left.mac).not.toBe(right.mac);
    const ips = { left: '10.83.1.11', right: '10.83.1.12' };
    const [l, r] = await Promise.all([
      boot(left, { static: { eth0: `${ips.left}/24` }, ping: [ips.right], waitSeconds: 40, staySeconds: 20 }),
      boot(right, { static: { eth0: `${ips.right}/24` }, ping: [ips.left], waitSeconds: 40, staySeconds: 20 }),
    ]);
    expect((await Promise.all([l.waitFor('MAC'), r.waitFor('MAC')])).map((e) => e.mac)).toEqual([left.mac, right.mac]);
    const pings = await Promise.all([
      l.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === ips.right),
      r.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === ips.left),
    ]);
    expect(pings.map((p) => p.kind), `${l.transcript()}\n${r.transcript()}`).toEqual(['PING_OK', 'PING_OK']);
    await Promise.all([l.close(), r.close()]);
    for (const t of [left.tap, right.tap]) await detach(name, t);
  }, 150_000);
});
