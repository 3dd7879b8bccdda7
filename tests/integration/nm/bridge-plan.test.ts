import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { planNmBridge } from '../../../main/core/bridge-to-lan/plan-nm-bridge';
import type { NmActiveIp, NmUplink } from '../../../main/core/bridge-to-lan/nm-profile';
import { readUplink } from '../../../main/host/network-manager/uplink-profile';
import { networkManagerLabUnavailableReason, waitFor } from '../../lab/network-manager';
import { activeProfiles, connectEth0, kernelLink, pings, profileUuids, runOperations, startNmLab, waitForProfile, type NmLab } from './nm-lab-steps';

const skip = networkManagerLabUnavailableReason();
if (skip) console.log(`skipped NetworkManager bridge plan tests: ${skip}`);

const BridgeDetails = z.array(z.object({
  mtu: z.number(),
  linkinfo: z.object({ info_kind: z.literal('bridge'), info_data: z.object({ stp_state: z.number() }) }),
}));

/** what must survive the move to the bridge: addresses, gateway, DNS, and the routes (metrics follow the device type) */
const essentials = (ip: NmActiveIp) => ({
  addresses: [...ip.addresses].filter((a) => !a.startsWith('fe80:')).sort(),
  gateway: ip.gateway,
  dns: ip.dns,
  routes: ip.routes.filter((r) => !r.dst.startsWith('fe80:')).map((r) => `${r.dst} via ${r.nextHop}`).sort(),
});

/**
 * Applies planNmBridge's operations by hand with nmcli (the helper's nm operations come later),
 * checks the bridge took over the uplink's addressing, then runs the undo operations.
 */
async function bridgeAndRestore(nmLab: NmLab, profileId: string): Promise<{ before: NmUplink; bridged: NmUplink }> {
  const { lab, nm, router } = nmLab;
  const before = await readUplink('eth0', nm.run);
  const eth0Before = (await kernelLink(lab, 'eth0'))!;
  const profilesBefore = await profileUuids(nm);
  const plan = planNmBridge({ uplink: before, bridgeName: 'br0', bridgeUuid: randomUUID(), portUuid: randomUUID() });

  await runOperations(nm, plan.apply);
  await waitForProfile(nmLab, 'br0', plan.bridge.id, eth0Before.addresses, 15_000);
  const bridged = await readUplink('br0', nm.run);
  expect(await activeProfiles(nm)).toMatchObject({ eth0: plan.port.id, br0: plan.bridge.id });
  expect((await kernelLink(lab, 'eth0'))).toMatchObject({ master: 'br0', addresses: [] });
  expect((await kernelLink(lab, 'br0'))?.mac).toBe(eth0Before.mac);
  const [details] = BridgeDetails.parse(JSON.parse(await lab.sh('ip', ['-j', '-d', 'link', 'show', 'br0'])));
  expect(details?.linkinfo.info_data.stp_state).toBe(0);
  expect(details?.mtu).toBe(before.profile.ethernet.mtu ?? 1500);
  expect(await pings(lab, router.gateway)).toBe(true);

  await runOperations(nm, plan.undo);
  await waitForProfile(nmLab, 'eth0', profileId, eth0Before.addresses, 15_000);
  await waitFor('br0 did not go away', async () => ((await kernelLink(lab, 'br0')) === undefined ? true : undefined), 5000, nm.log);
  expect(await profileUuids(nm)).toEqual(profilesBefore);
  expect(await pings(lab, router.gateway)).toBe(true);
  return { before, bridged };
}

describe.skipIf(skip)('a NetworkManager bridge planned by planNmBridge, applied by hand', () => {
  let nmLab: NmLab;
  beforeAll(async () => { nmLab = await startNmLab(); });
  afterAll(async () => { await nmLab?.lab.close(); });

  it('keeps the DHCP lease: the bridge holds the laptop’s address from the router', async () => {
    await connectEth0(nmLab, 'home', ['ipv4.method', 'auto', 'ipv6.method', 'auto']);
    const started = performance.now();
    const { before, bridged } = await bridgeAndRestore(nmLab, 'home');
    console.log(`bridge plan (DHCP uplink): bridged, checked and restored in ${(performance.now() - started).toFixed(0)} ms`);

    expect(bridged.profile.ipv4.method).toBe('auto');
    expect(bridged.active.ipv4.addresses).toEqual(before.active.ipv4.addresses);
    expect(bridged.active.ipv4.gateway).toBe(nmLab.router.gateway);
    // one lease, the same: the server saw the same MAC and client id from the bridge
    expect((await nmLab.router.leases()).split('\n').filter(Boolean)).toHaveLength(1);
    await nmLab.nm.nmcli(['connection', 'delete', 'id', 'home']);
  });

  it('carries static IPv4 and IPv6 addresses, gateway, DNS, routes, MTU and a cloned MAC over to the bridge', async () => {
    await connectEth0(nmLab, 'office static', [
      '802-3-ethernet.cloned-mac-address', '02:00:00:00:aa:01', '802-3-ethernet.mtu', '1400',
      'ipv4.method', 'manual', 'ipv4.addresses', '203.0.113.50/24, 203.0.113.51/24', 'ipv4.gateway', '203.0.113.1',
      'ipv4.dns', '203.0.113.1,198.51.100.53', 'ipv4.dns-search', 'lan.example',
      'ipv4.routes', '198.51.100.0/24 203.0.113.254 50, 192.0.2.128/25 203.0.113.253',
      'ipv6.method', 'manual', 'ipv6.addresses', '2001:db8:1::50/64', 'ipv6.gateway', '2001:db8:1::1',
      'ipv6.dns', '2001:db8:1::53', 'ipv6.routes', '2001:db8:99::/48 2001:db8:1::fe 10',
    ]);
    const { before, bridged } = await bridgeAndRestore(nmLab, 'office static');

    expect(before.mac.toLowerCase()).toBe('02:00:00:00:aa:01');
    expect(bridged.mac).toBe(before.mac);
    expect(bridged.profile.ethernet.mtu).toBe(1400);
    expect(bridged.profile.ipv4).toMatchObject({ method: 'manual', dnsSearch: ['lan.example'] });
    expect(essentials(bridged.active.ipv4)).toEqual(essentials(before.active.ipv4));
    expect(essentials(bridged.active.ipv6)).toEqual(essentials(before.active.ipv6));
    expect(essentials(before.active.ipv4).routes).toContain('198.51.100.0/24 via 203.0.113.254');
    expect(essentials(before.active.ipv6).routes).toContain('2001:db8:99::/48 via 2001:db8:1::fe');
  });

  it('comes back after a reboot: NetworkManager brings up the bridge, not the old profile, with the same lease', async () => {
    const { lab, nm, router } = nmLab;
    // a raised priority, as users set to prefer one profile: the port must still outrank it
    await connectEth0(nmLab, 'home', ['connection.autoconnect-priority', '5', 'ipv4.method', 'auto', 'ipv6.method', 'auto']);
    const addresses = (await kernelLink(lab, 'eth0'))!.addresses;
    const plan = planNmBridge({ uplink: await readUplink('eth0', nm.run), bridgeName: 'br0', bridgeUuid: randomUUID(), portUuid: randomUUID() });
    await runOperations(nm, plan.apply);
    await waitForProfile(nmLab, 'br0', plan.bridge.id, addresses, 15_000);

    await nm.reboot(['eth0']);
    await waitForProfile(nmLab, 'br0', plan.bridge.id, addresses, 15_000);
    expect(await activeProfiles(nm)).toMatchObject({ eth0: plan.port.id });
    expect(await pings(lab, router.gateway)).toBe(true);
    // the port outranks "home", so NM never starts the old profile on eth0 at boot only to be overridden
    expect(nm.log().split('--- reboot ---')[1]).not.toContain("Activation: starting connection 'home'");
  });
});
