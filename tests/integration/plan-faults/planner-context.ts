import { expect } from 'vitest';
import { HostSnapshot } from '../../../main/core/host-snapshot';
import { completeDraft } from '../../../main/core/network/defaults';
import type { NetworkSpec } from '../../../main/core/network/network-spec';
import type { PlanContext } from '../../../main/core/plan/plan-context';
import { NetworkRecord } from '../../../main/core/network/network-record';
import type { Lab } from '../../lab/lab';
import type { HelperProcess } from '../helper/helper-process';

/**
 * What the engine reads before planning (main/engine/host-network-state.ts), read from inside a
 * lab instead: the snapshot from the helper's own `observe`, the records under /etc/kvmnet and
 * ip_forward. The planner then works on the lab exactly as on a user's host.
 */
export async function readPlanContext(lab: Lab, helper: HelperProcess): Promise<PlanContext> {
  const { response } = await helper.request({ method: 'observe' });
  if (!response.ok) throw new Error(`observe failed: ${response.error.message}`);
  const snapshot = HostSnapshot.parse(response.result);
  const listing = await lab.run('ls', ['/etc/kvmnet/networks']);
  const files = listing.exitCode === 0 ? listing.stdout.split('\n').filter((f) => f.endsWith('.json')) : [];
  const records = await Promise.all(files.map(async (f) => NetworkRecord.parse(JSON.parse(await lab.sh('cat', [`/etc/kvmnet/networks/${f}`])))));
  const ipForward = (await lab.sh('cat', ['/proc/sys/net/ipv4/ip_forward'])).trim();
  expect(ipForward === '0' || ipForward === '1', `ip_forward reads ${ipForward}`).toBe(true);
  return { records, ipForward: ipForward as PlanContext['ipForward'], snapshot, proxyArp: await readProxyArp(lab) };
}

/** net.ipv4.conf.<link>.proxy_arp of every link, as the engine reads it for proxy-ARP networks */
async function readProxyArp(lab: Lab): Promise<NonNullable<PlanContext['proxyArp']>> {
  const lines = await lab.sh('sh', ['-c', 'grep -H "" /proc/sys/net/ipv4/conf/*/proxy_arp; true']);
  return Object.fromEntries(lines.split('\n').filter(Boolean).map((line) => {
    const [path, value] = line.split(':') as [string, string];
    return [path.split('/')[6]!, value.trim() === '0' ? '0' : '1'] as const;
  }));
}

/** a network as the CLI completes a user's draft against this host (free subnet, default DHCP range …) */
export const specFor = (draft: Record<string, unknown>, context: PlanContext): NetworkSpec =>
  completeDraft(draft, { snapshot: context.snapshot, existing: context.records.map((r) => r.spec), libvirtAvailable: context.snapshot.libvirt.available });
