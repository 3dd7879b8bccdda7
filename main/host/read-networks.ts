import { readdirSync, readFileSync } from 'node:fs';
import type { HostSnapshot } from '../core/host-snapshot';
import type { NetworkKind } from '../core/network/network-spec';
import { isDirectActive } from '../core/plan/plan-context';
import { RECORDS_DIR } from '../core/paths';
import { parseLibvirtNetworkXml, type ParsedLibvirtNetwork } from '../core/render/libvirt-network-xml';
import { NetworkRecord } from '../core/network/network-record';
import { readCommand } from './host-command';
import { virshArgs } from './read-libvirt';

const VIRSH_TIMEOUT_MS = 5000;

/** One network as `kvmnet list` shows it, whoever made it. */
export interface NetworkListing {
  name: string;
  /** null for libvirt forward modes KVMNet does not model (bridge, open, hostdev …) */
  kind: NetworkKind | null;
  backend: 'direct' | 'libvirt';
  bridge: string | null;
  subnet: string | null;
  gateway: string | null;
  dhcp: { start: string; end: string } | null;
  ipv6: string | null;
  active: boolean;
  autostart: boolean;
  uplink: string | null;
  /** KVMNet made it and may change it */
  managed: boolean;
  /** shown, never changed: libvirt networks KVMNet did not define */
  readOnly: boolean;
  /** libvirt's own word (nat, route, bridge, isolated …) for libvirt networks */
  forwardMode?: string;
  /** routed with proxy ARP on the uplink: guests take a slice of its LAN */
  proxyArp?: true;
}

export interface RecordsRead {
  records: NetworkRecord[];
  /** files that could not be read as records, in plain words; they are left alone */
  problems: string[];
}

/** The records of KVMNet's direct networks. A missing directory means there are none. */
/** the records are a few small files, read synchronously as read-small-file.ts says why */
function readNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export async function readNetworkRecords(dir: string = RECORDS_DIR): Promise<RecordsRead> {
  const names = readNames(dir);
  const records: NetworkRecord[] = [];
  const problems: string[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const path = `${dir}/${name}`;
    try {
      const parsed = NetworkRecord.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        problems.push(`${path} is not a KVMNet network record (${issue?.path.join('.') || 'record'}: ${issue?.message}); it is ignored`);
      } else if (`${parsed.data.spec.name}.json` !== name) {
        problems.push(`${path} describes the network "${parsed.data.spec.name}", not the one its file name says; it is ignored`);
      } else {
        records.push(parsed.data);
      }
    } catch (e) {
      problems.push(`${path} could not be read (${(e as Error).message}); it is ignored`);
    }
  }
  return { records, problems };
}

/**
 * Every libvirt network's definition, for its addresses (the snapshot has only names, state and
 * bridges). A network undefined meanwhile is simply left out.
 */
export async function readLibvirtDefinitions(snapshot: HostSnapshot): Promise<ParsedLibvirtNetwork[]> {
  if (!snapshot.libvirt.available) return [];
  const read = async (name: string) => parseLibvirtNetworkXml(await readCommand('virsh', virshArgs(['net-dumpxml', name]), VIRSH_TIMEOUT_MS));
  const results = await Promise.allSettled(snapshot.libvirt.networks.map((n) => read(n.name)));
  return results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

/** Pure: the records, libvirt's networks and their definitions as one list, sorted by name. */
export function listNetworks(snapshot: HostSnapshot, records: readonly NetworkRecord[], definitions: readonly ParsedLibvirtNetwork[]): NetworkListing[] {
  const direct = records.map((record): NetworkListing => {
    const { spec } = record;
    return {
      name: spec.name,
      kind: spec.kind,
      backend: 'direct',
      bridge: spec.bridge,
      subnet: spec.ipv4?.subnet ?? null,
      gateway: spec.ipv4?.gateway ?? null,
      dhcp: spec.dhcp,
      ipv6: spec.ipv6?.subnet ?? null,
      active: isDirectActive(record, snapshot),
      autostart: spec.autostart,
      uplink: spec.uplink ?? null,
      managed: true,
      readOnly: false,
      ...(spec.proxyArp && { proxyArp: true as const }),
    };
  });
  const libvirt = snapshot.libvirt.networks.map((network): NetworkListing => {
    const definition = definitions.find((d) => d.name === network.name);
    return {
      name: network.name,
      kind: definition?.kind ?? null,
      backend: 'libvirt',
      bridge: network.bridge ?? definition?.bridge ?? null,
      subnet: definition?.ipv4?.subnet ?? null,
      gateway: definition?.ipv4?.gateway ?? null,
      dhcp: definition?.dhcp ?? null,
      ipv6: definition?.ipv6?.subnet ?? null,
      active: network.active,
      autostart: network.autostart,
      uplink: definition?.uplink ?? null,
      managed: network.managedByKvmnet,
      readOnly: !network.managedByKvmnet,
      ...(network.forwardMode !== undefined && { forwardMode: network.forwardMode }),
    };
  });
  return [...direct, ...libvirt].sort((a, b) => a.name.localeCompare(b.name) || a.backend.localeCompare(b.backend));
}
