import { readFile, stat } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestUnavailableReason, startGuest, type Guest } from '../../lab/guest';
import { guestImage } from '../../lab/guest/initramfs';
import { UPSTREAM, startTopology, type Topology } from '../../lab/topology';
import { expectNoLeftovers, hostNetwork, processesInLab, survivors } from './leftovers';

const skip = await guestUnavailableReason();
if (skip) console.log(`skipped guest tests: ${skip}`);

const BRIDGE = { name: 'br0', address: '10.80.0.1', subnet: '10.80.0.0/24' };
/** fixed leases, so that guests can be told each other's address before they boot */
const GUESTS = {
  fetcher: { mac: '52:54:00:6b:76:01', ip: '10.80.0.11' },
  left: { mac: '52:54:00:6b:76:02', ip: '10.80.0.12' },
  right: { mac: '52:54:00:6b:76:03', ip: '10.80.0.13' },
  server: { mac: '52:54:00:6b:76:04', ip: '10.80.0.14' },
  doomed: { mac: '52:54:00:6b:76:05', ip: '10.80.0.15' },
};
const UNPRIVILEGED = 65534;
/** on the upstream segment, but no host answers there */
const NOWHERE = 'http://198.51.100.99/marker';

// The plain, hand-made network the fixture proves itself on; KVMNet's own tests replace exactly this part.
const MASQUERADE = `table ip kvmnet_lab_selftest {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr ${BRIDGE.subnet} oifname "eth0" masquerade
  }
}
`;

describe.skipIf(skip)('test guest on a hand-made bridge with dnsmasq', () => {
  let topology: Topology;
  let hostBefore: Awaited<ReturnType<typeof hostNetwork>>;
  const guests: Guest[] = [];

  /** a tap on the bridge and the QEMU flags that use it, as KVMNet would print them */
  async function tapFor(name: string, mac: string, model: string, owner?: number): Promise<string[]> {
    await topology.laptop.sh('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap', ...(owner === undefined ? [] : ['user', String(owner)])]);
    await topology.laptop.sh('ip', ['link', 'set', name, 'master', BRIDGE.name, 'up']);
    return ['-netdev', `tap,id=n0,ifname=${name},script=no,downscript=no`, '-device', `${model},netdev=n0,mac=${mac}`];
  }

  async function boot(...args: Parameters<typeof startGuest>): Promise<Guest> {
    const guest = await startGuest(...args);
    guests.push(guest);
    return guest;
  }

  beforeAll(async () => {
    hostBefore = await hostNetwork();
    topology = await startTopology();
    const { laptop } = topology;
    await laptop.sh('mkdir', ['-p', '/run/kvmnet-lab-selftest']);
    await laptop.sh('ip', ['link', 'add', BRIDGE.name, 'type', 'bridge']);
    await laptop.sh('ip', ['addr', 'add', `${BRIDGE.address}/24`, 'dev', BRIDGE.name]);
    await laptop.sh('ip', ['link', 'set', BRIDGE.name, 'up']);
    await laptop.sh('dnsmasq', [
      '--conf-file=/dev/null', '--port=0', `--interface=${BRIDGE.name}`, '--bind-interfaces',
      '--dhcp-range=10.80.0.100,10.80.0.150,255.255.255.0,1h',
      ...Object.values(GUESTS).map((g) => `--dhcp-host=${g.mac},${g.ip}`),
      '--dhcp-leasefile=/run/kvmnet-lab-selftest/br0.leases', '--pid-file=/run/kvmnet-lab-selftest/br0-dnsmasq.pid',
    ]);
    await laptop.sh('sysctl', ['-qw', 'net.ipv4.ip_forward=1']);
    await laptop.sh('nft', ['-f', '-'], { input: MASQUERADE });
  });
  afterAll(async () => {
    await Promise.all(guests.map((g) => g.close()));
    await topology?.close();
  });

  // the first test, not beforeAll: in CI a missing kernel must count as a failed test, not as skipped ones
  it('builds the guest image from the installed kernel, readable by an unprivileged QEMU', async () => {
    const image = await guestImage();
    expect((await stat(`/lib/modules/${image.kernelVersion}/kernel`)).isDirectory()).toBe(true);
    for (const file of [image.kernel, image.initramfs]) expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await guestImage()).toBe(image);
  });

  it('refuses KVM flags and bad behaviour before starting anything, naming the field', async () => {
    await expect(startGuest(topology.lab, { netArgs: ['-enable-kvm'] })).rejects.toThrow(/-accel tcg.*at netArgs/s);
    await expect(startGuest(topology.lab, { netArgs: [], behaviour: { ping: ['10.80.0.300'] } })).rejects.toThrow(/IPv4.*at behaviour\.ping\[0\]/s);
  });

  it('reports QEMU\'s own error when the network flags are wrong', async () => {
    const guest = await boot(topology.lab, { netArgs: ['-netdev', 'kvnosuch,id=n0'] });
    await expect(guest.waitFor('LEASE')).rejects.toThrow(/QEMU exited \(code 1\).*kvnosuch/s);
  });

  // guests boot side by side: most of a boot is the emulated CPU, and the machines have two cores
  describe.concurrent('guests', () => {
    it('gets a lease, pings the bridge, and fetches upstream once the test masquerades by hand', async ({ expect }) => {
      const guest = await boot(topology.lab, {
        netArgs: await tapFor('kvtap1', GUESTS.fetcher.mac, 'virtio-net-pci'),
        behaviour: { fetch: [UPSTREAM.markerUrl, NOWHERE] },
        timeoutMs: 45_000,
      });
      expect(await guest.waitFor('MAC')).toMatchObject({ dev: 'eth0', mac: GUESTS.fetcher.mac });
      const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
      expect(lease).toMatchObject({ kind: 'LEASE', ip: GUESTS.fetcher.ip, prefix: 24, router: BRIDGE.address });
      expect(await guest.waitFor(['PING_OK', 'PING_FAIL'])).toMatchObject({ kind: 'PING_OK', target: BRIDGE.address });
      expect(await guest.waitFor(['FETCH_OK', 'FETCH_FAIL'])).toMatchObject({ kind: 'FETCH_OK', url: UPSTREAM.markerUrl, body: UPSTREAM.marker });
      expect(await guest.waitFor(['FETCH_OK', 'FETCH_FAIL'], (e) => e.url === NOWHERE)).toMatchObject({ kind: 'FETCH_FAIL' });
      await guest.waitFor('DONE');
      expect(await guest.exited).toMatchObject({ exitCode: 0 });
      const init = await guest.waitFor('INIT');
      console.log(`guest timings: /init at ${init.atMs} ms, LEASE at ${lease.atMs} ms, powered off after DONE at ${(await guest.waitFor('DONE')).atMs} ms`);
    });

    it('boots two guests with different MACs on one bridge that ping each other', async ({ expect }) => {
      const leftArgs = await tapFor('kvtap2', GUESTS.left.mac, 'virtio-net-pci');
      const rightArgs = await tapFor('kvtap3', GUESTS.right.mac, 'virtio-net-pci');
      const [left, right] = await Promise.all([
        boot(topology.lab, { netArgs: leftArgs, behaviour: { ping: [GUESTS.right.ip], staySeconds: 20 }, timeoutMs: 45_000 }),
        boot(topology.lab, { netArgs: rightArgs, behaviour: { static: { eth0: `${GUESTS.right.ip}/24` }, ping: [GUESTS.left.ip], staySeconds: 20 }, timeoutMs: 45_000 }),
      ]);
      const macs = await Promise.all([left!.waitFor('MAC'), right!.waitFor('MAC')]);
      expect(macs.map((m) => m.mac)).toEqual([GUESTS.left.mac, GUESTS.right.mac]);
      expect(await left!.waitFor(['LEASE', 'NO_LEASE'])).toMatchObject({ kind: 'LEASE', ip: GUESTS.left.ip });
      expect(await right!.waitFor('STATIC')).toMatchObject({ ip: GUESTS.right.ip, prefix: 24, dev: 'eth0' });
      const pings = await Promise.all([
        left!.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === GUESTS.right.ip),
        right!.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === GUESTS.left.ip),
      ]);
      expect(pings.map((p) => p.kind)).toEqual(['PING_OK', 'PING_OK']);
      await Promise.all([left!.close(), right!.close()]);
    });

    it('serves HTTP from an unprivileged QEMU with an e1000 NIC that the laptop can fetch', async ({ expect }) => {
      const guest = await boot(topology.lab, {
        netArgs: await tapFor('kvtap4', GUESTS.server.mac, 'e1000', UNPRIVILEGED),
        asUser: UNPRIVILEGED,
        behaviour: { httpd: 'guest-marker', staySeconds: 30 },
        timeoutMs: 45_000,
      });
      expect(await guest.waitFor(['LEASE', 'NO_LEASE'])).toMatchObject({ kind: 'LEASE', ip: GUESTS.server.ip });
      await guest.waitFor('SERVING');
      expect(await topology.laptop.fetch(`http://${GUESTS.server.ip}/marker`)).toEqual({ ok: true, body: 'guest-marker' });
      const status = await readFile(`/proc/${guest.pid}/status`, 'utf8');
      expect(/^Uid:\s+(\d+)/m.exec(status)?.[1]).toBe(String(UNPRIVILEGED));
      await guest.close();
    });
  });

  it('ends QEMU, dnsmasq and httpd with the lab and leaves the machine network as it was', async () => {
    const guest = await boot(topology.lab, {
      netArgs: await tapFor('kvtap5', GUESTS.doomed.mac, 'virtio-net-pci'),
      behaviour: { staySeconds: 60 },
    });
    await guest.waitFor('INIT');
    const inside = await processesInLab(topology.lab);
    expect(inside.map((p) => p.name)).toEqual(expect.arrayContaining(['qemu-system-x86', 'dnsmasq', 'busybox']));
    await topology.close();
    expect(await survivors(inside, 2000)).toEqual([]);
    await guest.exited;
    expectNoLeftovers(hostBefore, await hostNetwork());
  });
});
