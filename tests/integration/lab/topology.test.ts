import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labUnavailableReason } from '../../lab/lab';
import { LAN, UPSTREAM, startTopology, type Topology } from '../../lab/topology';
import { expectNoLeftovers, hostNetwork, processesInLab, survivors } from './leftovers';

const skip = labUnavailableReason();
if (skip) console.log(`skipped topology tests: ${skip}`);

interface IpAddr { ifname: string; addr_info: { family: string; local: string; prefixlen: number }[] }
interface IpRoute { dst: string; gateway?: string; dev: string }

async function ipv4Addresses(topology: Topology, dev: string): Promise<string[]> {
  const links = JSON.parse(await topology.laptop.sh('ip', ['-j', 'addr', 'show', 'dev', dev])) as IpAddr[];
  return links.flatMap((l) => l.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`));
}

async function natPackets(topology: Topology): Promise<number> {
  const ruleset = await topology.router.sh('nft', ['list', 'table', 'ip', 'kvmnet_lab_router']);
  return Number(/counter packets (\d+)/.exec(ruleset)?.[1]);
}

describe.skipIf(skip)('three-host topology with a static uplink', () => {
  let topology: Topology;
  beforeAll(async () => { topology = await startTopology(); });
  afterAll(async () => { await topology?.close(); });

  it('puts the laptop on the LAN through eth0 with a default route to the router', async () => {
    expect(await ipv4Addresses(topology, 'eth0')).toEqual([`${LAN.laptop}/${LAN.prefix}`]);
    const routes = JSON.parse(await topology.laptop.sh('ip', ['-j', 'route', 'show', 'default'])) as IpRoute[];
    expect(routes.map((r) => [r.gateway, r.dev])).toEqual([[LAN.router, 'eth0']]);
    expect((await topology.laptop.run('busybox', ['ping', '-c', '1', '-W', '2', LAN.router])).exitCode).toBe(0);
  });

  it('reaches the upstream marker only through the router NAT', async () => {
    const upstreamRoutes = JSON.parse(await topology.upstream.sh('ip', ['-j', 'route'])) as IpRoute[];
    // upstream knows no way back to the LAN: an answer can only come through the masquerade
    expect(upstreamRoutes.map((r) => r.dst)).toEqual([UPSTREAM.subnet]);
    const before = await natPackets(topology);
    expect(await topology.laptop.fetch(UPSTREAM.markerUrl)).toEqual({ ok: true, body: UPSTREAM.marker });
    expect(await natPackets(topology)).toBeGreaterThan(before);
  });

  it('lets a test route a subnet on the laptop from the router and fetch from it', async () => {
    await topology.laptop.sh('ip', ['link', 'add', 'kvprobe0', 'type', 'bridge']);
    await topology.laptop.sh('ip', ['addr', 'add', '10.99.0.1/24', 'dev', 'kvprobe0']);
    await topology.laptop.sh('ip', ['link', 'set', 'kvprobe0', 'up']);
    await topology.laptop.sh('mkdir', ['-p', '/run/kvmnet-lab-selftest/probe-www']);
    await topology.laptop.sh('tee', ['/run/kvmnet-lab-selftest/probe-www/probe'], { input: 'routed-probe\n' });
    await topology.laptop.sh('busybox', ['httpd', '-p', '10.99.0.1:8080', '-h', '/run/kvmnet-lab-selftest/probe-www']);
    // the router's default route leads to upstream, which does not forward
    expect((await topology.router.fetch('http://10.99.0.1:8080/probe', 2)).ok).toBe(false);
    await topology.router.addRoute('10.99.0.0/24');
    let fetched = await topology.router.fetchFrom('10.99.0.1', 8080, '/probe');
    for (let i = 0; i < 20 && !fetched.ok; i++) fetched = await topology.router.fetchFrom('10.99.0.1', 8080, '/probe');
    expect(fetched).toEqual({ ok: true, body: 'routed-probe' });
  });

  it('cannot reach upstream once the router NAT is gone (proves the path, runs last)', async () => {
    await topology.router.sh('nft', ['delete', 'table', 'ip', 'kvmnet_lab_router']);
    expect((await topology.laptop.fetch(UPSTREAM.markerUrl, 2)).ok).toBe(false);
  });
});

describe.skipIf(skip)('three-host topology with a DHCP uplink', () => {
  let topology: Topology;
  beforeAll(async () => { topology = await startTopology({ uplink: 'dhcp' }); });
  afterAll(async () => { await topology?.close(); });

  it('leases the laptop its address from the router and reaches upstream', async () => {
    expect(await ipv4Addresses(topology, 'eth0')).toEqual([`${LAN.laptop}/${LAN.prefix}`]);
    expect(await topology.router.leases()).toEqual([{ mac: LAN.laptopMac, ip: LAN.laptop }]);
    expect(await topology.laptop.fetch(UPSTREAM.markerUrl)).toEqual({ ok: true, body: UPSTREAM.marker });
  });
});

describe.skipIf(skip)('topology cleanup', () => {
  it('ends every process and namespace with the lab and leaves the machine network as it was', async () => {
    const before = await hostNetwork();
    const topology = await startTopology({ uplink: 'dhcp' });
    const inside = await processesInLab(topology.lab);
    expect(inside.map((p) => p.name)).toEqual(expect.arrayContaining(['dnsmasq', 'busybox']));
    await topology.close();
    expect(await survivors(inside, 2000)).toEqual([]);
    expectNoLeftovers(before, await hostNetwork());
  });
});
