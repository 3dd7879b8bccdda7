import { readdir } from 'node:fs/promises';
import { NetworkName } from '../core/names';
import type { NetworkSpec } from '../core/network/network-spec';
import { NetworkRecord } from '../core/network/network-record';
import { recordPath, RECORDS_DIR } from '../core/paths';
import type { HostIo } from './host-io';
import type { Plan, Step } from './protocol';
import { ProxyArpSwitchPlan, switchedUplink } from '../core/plan/proxy-arp-switch-plan';
import { readJsonFile } from './read-json-file';

/** the network spec a step carries, if any (each one already passed NetworkSpec's own checks) */
function specOf(step: Step): NetworkSpec | undefined {
  if (step.op === 'nft.network') return step.spec ?? undefined;
  if (step.op === 'dnsmasq.start') return step.spec;
  if (step.op === 'record.write') return step.record.spec;
  return undefined;
}

const proxyArpUplink = (spec: NetworkSpec | undefined): string[] => (spec?.proxyArp && spec.uplink !== undefined ? [spec.uplink] : []);

/** a network's record as stored; undefined when missing or not a valid record */
const readRecord = (name: string, io: Pick<HostIo, 'readText'>): Promise<NetworkRecord | undefined> => readJsonFile(io, recordPath(name), NetworkRecord);

/** the names of the networks that have a record, from the records directory */
export async function listRecordNames(dir = RECORDS_DIR): Promise<string[]> {
  const files = await readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)));
  return files.flatMap((file) => {
    const name = NetworkName.safeParse(file.replace(/\.json$/, ''));
    return file.endsWith('.json') && name.success ? [name.data] : [];
  });
}

/**
 * The links whose proxy_arp the plan may set although KVMNet does not own them: the uplinks of the
 * proxy-ARP networks the plan brings up or rewrites, and those of the networks it deletes (their
 * records, read before anything runs, say which uplink they turned proxy ARP on at). A plan of
 * proxy_arp switches alone (the doctor's fix) names no network: each uplink it switches is allowed
 * when the record of an existing proxy-ARP network names it. Nothing else: a plan naming no
 * proxy-ARP network gets no foreign link's proxy_arp.
 */
export async function readProxyArpUplinks(
  plan: Plan,
  io: Pick<HostIo, 'readText'>,
  recordNames: () => Promise<string[]> = listRecordNames,
): Promise<Set<string>> {
  const uplinks = new Set(plan.steps.flatMap((s) => proxyArpUplink(specOf(s))));
  const deleted = plan.steps.flatMap((s) => (s.op === 'record.delete' ? [s.network] : []));
  for (const name of deleted) for (const uplink of proxyArpUplink((await readRecord(name, io))?.spec)) uplinks.add(uplink);
  // the cheap test first: most plans hold other steps, and need neither the parse nor the listing
  const switches = plan.steps.every((s) => s.op === 'sysctl.set') ? ProxyArpSwitchPlan.safeParse(plan) : undefined;
  if (switches?.success) {
    const switched = new Set(switches.data.steps.map(switchedUplink));
    for (const name of await recordNames()) {
      for (const uplink of proxyArpUplink((await readRecord(name, io))?.spec)) if (switched.has(uplink)) uplinks.add(uplink);
    }
  }
  return uplinks;
}
