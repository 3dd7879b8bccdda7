import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Guest, GuestEvent } from '../../lab/guest';
import type { Lab } from '../../lab/lab';
import { UPSTREAM } from '../../lab/topology';
import { expectNoLeftovers, hostNetwork, processesInLab, survivors } from '../lab/leftovers';
import { inSubnet, startNetworkLab, type Backend, type ListedNetwork, type NetworkLab } from './network-lab';

const SUBNETS = { nat: '10.81.1.0/24', hostonly: '10.81.2.0/24', routed: '10.81.4.0/24' } as const;
/** an isolated network has no host address and no DHCP: the guests bring their own addresses */
const ISOLATED_GUESTS = { left: '10.81.3.11', right: '10.81.3.12' } as const;
const MAC = { nat: '52:54:00:6b:6e:01', hostonly: '52:54:00:6b:6e:02', left: '52:54:00:6b:6e:03', right: '52:54:00:6b:6e:04', routed: '52:54:00:6b:6e:05' } as const;
/** what a guest serves, so a fetch that succeeds proves it reached this guest */
const GUEST_MARKER = 'kvmnet-guest-marker';

/** the guest's DHCP lease, or a failure that shows its console */
async function leaseOf(guest: Guest): Promise<Extract<GuestEvent, { kind: 'LEASE' }>> {
  const lease = await guest.waitFor(['LEASE', 'NO_LEASE']);
  if (lease.kind !== 'LEASE') throw new Error(`the guest got no lease:\n${guest.transcript()}`);
  return lease;
}

/**
 * Registers, in the calling describe, one test per network kind on one backend: each creates the
 * network with the CLI, puts real guests on it, proves what the kind promises, deletes it, and
 * compares the laptop with its state before the create. One topology lab serves every kind.
 */
export function defineNetworkProofs(backend: Backend, options: { prepare?: (lab: Lab) => Promise<void> } = {}): void {
  let net: NetworkLab;
  let machineBefore: Awaited<ReturnType<typeof hostNetwork>>;

  beforeAll(async () => {
    machineBefore = await hostNetwork();
    net = await startNetworkLab(backend);
    await options.prepare?.(net.topology.lab);
  });
  afterAll(async () => {
    await net?.close();
  });

  /** create, prove, then delete: the laptop must be exactly as before the create, whatever the proof found */
  async function roundTrip(kind: string, name: string, createOptions: string[], prove: (network: ListedNetwork) => Promise<void>): Promise<void> {
    await net.settle();
    const before = await net.state();
    const network = await net.create(kind, name, ...createOptions);
    let deleted: Awaited<ReturnType<NetworkLab['kvmnet']>>;
    try {
      expect(network).toMatchObject({ kind, backend, active: true });
      await prove(network);
    } finally {
      await net.unplugGuests();
      deleted = await net.kvmnet('delete', name);
    }
    expect(deleted.exitCode, deleted.stderr).toBe(0);
    await net.settle();
    expect(await net.state()).toEqual(before);
  }

  it(`nat (${backend}): a guest gets a lease in the subnet, pings the gateway and fetches from upstream`, async () => {
    await roundTrip('nat', 'n1', ['--subnet', SUBNETS.nat], async ({ bridge, gateway }) => {
      const guest = await net.boot('kvt0', MAC.nat, bridge, { ping: [gateway!], waitSeconds: 10, fetch: [UPSTREAM.markerUrl] });
      const lease = await leaseOf(guest);
      expect(lease).toMatchObject({ prefix: 24, router: gateway });
      expect(inSubnet(lease.ip, SUBNETS.nat), `lease ${JSON.stringify(lease)}`).toBe(true);
      expect(await guest.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === gateway)).toMatchObject({ kind: 'PING_OK' });
      expect(await guest.waitFor(['FETCH_OK', 'FETCH_FAIL'])).toMatchObject({ kind: 'FETCH_OK', url: UPSTREAM.markerUrl, body: UPSTREAM.marker });
    });
  });

  it(`hostonly (${backend}): a guest gets a lease and reaches the host's bridge address, the host reaches it, and upstream is out of reach`, async () => {
    const { laptop } = net.topology;
    await roundTrip('hostonly', 'h1', ['--subnet', SUBNETS.hostonly], async ({ bridge, gateway }) => {
      const guest = await net.boot('kvt0', MAC.hostonly, bridge, { httpd: GUEST_MARKER, ping: [gateway!], waitSeconds: 10, fetch: [UPSTREAM.markerUrl], staySeconds: 20 });
      const lease = await leaseOf(guest);
      // no router in the lease: DHCP offers a hostonly guest no way out of the network
      expect(lease).toMatchObject({ prefix: 24, router: undefined });
      expect(inSubnet(lease.ip, SUBNETS.hostonly), `lease ${JSON.stringify(lease)}`).toBe(true);
      expect(await guest.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === gateway)).toMatchObject({ kind: 'PING_OK' });
      expect(await guest.waitFor(['FETCH_OK', 'FETCH_FAIL'])).toMatchObject({ kind: 'FETCH_FAIL', url: UPSTREAM.markerUrl });
      expect(await laptop.fetch(`http://${lease.ip}/marker`)).toEqual({ ok: true, body: GUEST_MARKER });
    });
  });

  it(`isolated (${backend}): two guests with their own addresses reach each other; the host has no address and upstream is out of reach`, async () => {
    await roundTrip('isolated', 'i1', [], async ({ bridge, subnet, gateway }) => {
      expect({ subnet, gateway }).toEqual({ subnet: null, gateway: null });
      // each pings the other for up to 20 s and stays up meanwhile, so the later one to boot still gets answers
      const behaviour = (own: string, peer: string) => ({ static: { eth0: `${own}/24` }, ping: [peer], waitSeconds: 20, fetch: [UPSTREAM.markerUrl], staySeconds: 15 });
      const [left, right] = await Promise.all([
        net.boot('kvt0', MAC.left, bridge, behaviour(ISOLATED_GUESTS.left, ISOLATED_GUESTS.right)),
        net.boot('kvt1', MAC.right, bridge, behaviour(ISOLATED_GUESTS.right, ISOLATED_GUESTS.left)),
      ]);
      const pings = await Promise.all([
        left!.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === ISOLATED_GUESTS.right),
        right!.waitFor(['PING_OK', 'PING_FAIL'], (e) => e.target === ISOLATED_GUESTS.left),
      ]);
      expect(pings.map((p) => p.kind)).toEqual(['PING_OK', 'PING_OK']);
      // read with guests on the bridge: a link-local IPv6 address would appear only once it has carrier
      const addresses = JSON.parse(await net.topology.lab.sh('ip', ['-j', 'addr', 'show', 'dev', bridge])) as { addr_info: unknown[] }[];
      expect(addresses[0]!.addr_info, `addresses of the isolated bridge ${bridge}`).toEqual([]);
      const fetches = await Promise.all([left!, right!].map((g) => g.waitFor(['FETCH_OK', 'FETCH_FAIL'])));
      expect(fetches.map((f) => f.kind)).toEqual(['FETCH_FAIL', 'FETCH_FAIL']);
    });
  });

  it(`routed (${backend}): the router reaches a guest's web server once it routes the subnet to the laptop, and not before`, async () => {
    const { router } = net.topology;
    await roundTrip('routed', 'r1', ['--subnet', SUBNETS.routed, '--uplink', 'eth0'], async ({ bridge }) => {
      const guest = await net.boot('kvt0', MAC.routed, bridge, { httpd: GUEST_MARKER, staySeconds: 45 });
      const lease = await leaseOf(guest);
      expect(inSubnet(lease.ip, SUBNETS.routed), `lease ${JSON.stringify(lease)}`).toBe(true);
      await guest.waitFor('SERVING');
      // the router's default route leads upstream, where nothing routes the subnet back
      expect(await router.fetch(`http://${lease.ip}/marker`, 2)).toMatchObject({ ok: false });
      await router.addRoute(SUBNETS.routed);
      try {
        expect(await router.fetchFrom(lease.ip, 80, '/marker')).toEqual({ ok: true, body: GUEST_MARKER });
      } finally {
        await router.sh('ip', ['route', 'del', SUBNETS.routed]);
      }
    });
  });

  it(`closing the lab (${backend}) ends every process in it and leaves the machine's links as they were`, async () => {
    const inside = await processesInLab(net.topology.lab);
    expect(inside.map((p) => p.name)).toEqual(expect.arrayContaining(backend === 'libvirt' ? ['dnsmasq', 'libvirtd'] : ['dnsmasq']));
    await net.close();
    expect(await survivors(inside, 2000)).toEqual([]);
    expectNoLeftovers(machineBefore, await hostNetwork());
  });
}
