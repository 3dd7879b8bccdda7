import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NetworkRecord } from '../../core/network/network-record';
import type { DnsmasqFacts, DoctorFacts, Lease, LibvirtNetworkFacts } from '../../core/doctor/doctor-facts';
import { readOptional } from './host-files';
import { dnsmasqPidPath, leasesPath, RECORDS_DIR } from '../../core/paths';
import { parseDnsmasqLeases, parseLibvirtLeaseStatus } from './parse-leases';

const LIBVIRT_DNSMASQ_DIR = '/var/lib/libvirt/dnsmasq';

export interface RecordsRead {
  records: NetworkRecord[];
  recordProblems: DoctorFacts['recordProblems'];
}

/** every /etc/kvmnet/networks/*.json; a file that does not parse is reported, not fatal */
export async function readRecords(dir = RECORDS_DIR): Promise<RecordsRead> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json')).sort();
  const read = await Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      try {
        return { record: NetworkRecord.parse(JSON.parse((await readOptional(file)) ?? '')) };
      } catch (e) {
        const reason = e instanceof SyntaxError ? `not JSON: ${e.message}` : `not a KVMNet network record: ${(e as Error).message.split('\n')[0]}`;
        return { problem: { file, reason } };
      }
    }),
  );
  return {
    records: read.flatMap((r) => (r.record ? [r.record] : [])),
    recordProblems: read.flatMap((r) => (r.problem ? [r.problem] : [])),
  };
}

/** the pid in a network's pid file, and the name of the process that has it now (pids get reused) */
export async function readDnsmasq(network: string, pidFile = dnsmasqPidPath(network), proc = '/proc'): Promise<DnsmasqFacts> {
  const text = (await readOptional(pidFile))?.trim();
  const pid = text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
  const comm = pid === null ? undefined : await readOptional(join(proc, String(pid), 'comm'));
  return { network, pidFile, pid, process: comm?.trim() ?? null };
}

/** leases KVMNet's dnsmasq and libvirt's hand out; a missing file is simply no lease yet */
export async function readLeases(records: readonly NetworkRecord[], libvirtNetworks: readonly LibvirtNetworkFacts[]): Promise<Lease[]> {
  const direct = records.map(async (r) => parseDnsmasqLeases((await readOptional(leasesPath(r.spec.name))) ?? '', r.spec.name));
  const libvirt = libvirtNetworks
    .filter((n) => n.bridge !== undefined)
    .map(async (n) => {
      try {
        return parseLibvirtLeaseStatus((await readOptional(join(LIBVIRT_DNSMASQ_DIR, `${n.bridge}.status`))) ?? '', n.name);
      } catch {
        return [];
      }
    });
  return (await Promise.all([...direct, ...libvirt])).flat();
}
