import { z } from 'zod';
import type { NmcliOperation } from '../../../main/core/bridge-to-lan/plan-nm-bridge';
import { readNetworkManager } from '../../../main/host/network-manager/devices';
import { startLab, type Lab } from '../../lab/lab';
import { startLanRouter, startNetworkManager, waitFor, type LabLanRouter, type LabNetworkManager } from '../../lab/network-manager';

/** Steps the NetworkManager lab tests share: a laptop whose eth0 is on the lab router's LAN. */

export const LAPTOP_MAC = '02:00:00:00:00:10';

export interface NmLab {
  readonly lab: Lab;
  readonly nm: LabNetworkManager;
  readonly router: LabLanRouter;
}

export async function startNmLab(): Promise<NmLab> {
  const lab = await startLab();
  try {
    const router = await startLanRouter(lab, { laptopIfname: 'eth0', laptopMac: LAPTOP_MAC });
    const nm = await startNetworkManager(lab, { devices: ['eth0'] });
    return { lab, nm, router };
  } catch (e) {
    await lab.close();
    throw e;
  }
}

const IpAddr = z.array(z.object({
  ifname: z.string(),
  address: z.string().optional(),
  master: z.string().optional(),
  addr_info: z.array(z.object({ family: z.string(), local: z.string(), prefixlen: z.number(), scope: z.string() })),
}));

/** the link as the kernel has it: MAC, master and global addresses ("a.b.c.d/len") */
export async function kernelLink(lab: Lab, name: string): Promise<{ mac?: string; master?: string; addresses: string[] } | undefined> {
  const r = await lab.run('ip', ['-j', 'addr', 'show', 'dev', name]);
  if (r.exitCode !== 0) return undefined;
  const [link] = IpAddr.parse(JSON.parse(r.stdout));
  if (!link) return undefined;
  return {
    mac: link.address,
    master: link.master,
    addresses: link.addr_info.filter((a) => a.scope === 'global').map((a) => `${a.local}/${a.prefixlen}`).sort(),
  };
}

export async function pings(lab: Lab, address: string): Promise<boolean> {
  return (await lab.run('busybox', ['ping', '-c', '1', '-W', '2', address])).exitCode === 0;
}

/** the profile id active on each device, as NetworkManager lists them */
export async function activeProfiles(nm: LabNetworkManager): Promise<Record<string, string | undefined>> {
  const state = await readNetworkManager(nm.run);
  if (!state.running) throw new Error(`NetworkManager stopped: ${state.reason}\n${nm.log()}`);
  return Object.fromEntries(state.devices.map((d) => [d.device, d.connection]));
}

export async function profileUuids(nm: LabNetworkManager): Promise<string[]> {
  return (await nm.nmcli(['-g', 'UUID', 'connection', 'show'])).split('\n').filter(Boolean).sort();
}

/** Adds a profile for eth0 and activates it; resolves once eth0 has a global IPv4 address. */
export async function connectEth0(nmLab: NmLab, id: string, settings: readonly string[]): Promise<void> {
  await nmLab.nm.nmcli(['connection', 'add', 'type', 'ethernet', 'ifname', 'eth0', 'con-name', id, ...settings]);
  await nmLab.nm.nmcli(['--wait', '30', 'connection', 'up', 'id', id]);
  await waitFor(`eth0 got no IPv4 address from "${id}"`, async () => ((await kernelLink(nmLab.lab, 'eth0'))?.addresses.some((a) => a.includes('.')) ? true : undefined), 15_000, nmLab.nm.log);
}

/** Runs planned nmcli operations in order, as the helper will. */
export async function runOperations(nm: LabNetworkManager, operations: readonly NmcliOperation[]): Promise<void> {
  for (const op of operations) await nm.nmcli(op.args);
}

/** Waits until `device` runs profile `id` and carries `addresses` (global ones, sorted). */
export async function waitForProfile(nmLab: NmLab, device: string, id: string, addresses: readonly string[], timeoutMs: number): Promise<void> {
  await waitFor(
    `${device} did not run "${id}" with ${addresses.join(', ')}`,
    async () => {
      const [profiles, link] = await Promise.all([activeProfiles(nmLab.nm), kernelLink(nmLab.lab, device)]);
      return profiles[device] === id && JSON.stringify(link?.addresses) === JSON.stringify(addresses) ? true : undefined;
    },
    timeoutMs,
    nmLab.nm.log,
  );
}
