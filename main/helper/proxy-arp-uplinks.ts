import type { NetworkSpec } from '../core/network/network-spec';
import { NetworkRecord } from '../core/network/network-record';
import { recordPath } from '../core/paths';
import type { HostIo } from './host-io';
import type { Plan, Step } from './protocol';

/** the network spec a step carries, if any (each one already passed NetworkSpec's own checks) */
function specOf(step: Step): NetworkSpec | undefined {
  if (step.op === 'nft.network') return step.spec ?? undefined;
  if (step.op === 'dnsmasq.start') return step.spec;
  if (step.op === 'record.write') return step.record.spec;
  return undefined;
}

const proxyArpUplink = (spec: NetworkSpec | undefined): string[] => (spec?.proxyArp && spec.uplink !== undefined ? [spec.uplink] : []);

/**
 * The links whose proxy_arp the plan may set although KVMNet does not own them: the uplinks of the
 * proxy-ARP networks the plan brings up or rewrites, and those of the networks it deletes (their
 * records, read before anything runs, say which uplink they turned proxy ARP on at). Nothing else:
 * a plan naming no proxy-ARP network gets no foreign link's proxy_arp.
 */
export async function readProxyArpUplinks(plan: Plan, io: Pick<HostIo, 'readText'>): Promise<Set<string>> {
  const uplinks = new Set(plan.steps.flatMap((s) => proxyArpUplink(specOf(s))));
  const deleted = plan.steps.flatMap((s) => (s.op === 'record.delete' ? [s.network] : []));
  for (const name of deleted) {
    const text = await io.readText(recordPath(name));
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      continue;
    }
    const record = NetworkRecord.safeParse(json);
    if (record.success) for (const uplink of proxyArpUplink(record.data.spec)) uplinks.add(uplink);
  }
  return uplinks;
}
