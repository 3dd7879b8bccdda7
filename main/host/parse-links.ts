import { ownerFromAlias } from '../core/names';
import type { Link } from '../core/host-snapshot';
import type { IpLinkEntry } from './iproute2-json';
import { linkKind } from './link-kind';
import { parseAddresses } from './parse-addresses';
import type { SysfsFacts, SysfsWants } from './sysfs-facts';

const NO_USERS: ReadonlyMap<string, number> = new Map();

/** The tap's owner: sysfs has the uid; iproute2 prints a user name whenever it can resolve one. */
function tapOwnerUid(entry: IpLinkEntry, sysfs: SysfsFacts | undefined, uids: ReadonlyMap<string, number>): number | undefined {
  const user = entry.linkinfo?.info_data?.user;
  return sysfs?.tunOwnerUid ?? (typeof user === 'number' ? user : typeof user === 'string' ? uids.get(user) : undefined);
}

/** A veth's `link` names its peer only when the peer is in this namespace (else link_netnsid is set). */
function vethPeer(entry: IpLinkEntry): string | undefined {
  return entry.linkinfo?.info_kind === 'veth' && typeof entry.link === 'string' && entry.link_netnsid === undefined ? entry.link : undefined;
}

/** `uids`: local user names to uids (local-users.ts), for tap owners ip printed by name */
export function parseLink(entry: IpLinkEntry, sysfs: SysfsFacts | undefined, uids: ReadonlyMap<string, number> = NO_USERS): Link {
  const kind = linkKind(entry, sysfs);
  const alias = entry.ifalias || undefined;
  const owner = ownerFromAlias(alias);
  const peer = vethPeer(entry);
  const tapOwner = kind === 'tap' ? tapOwnerUid(entry, sysfs, uids) : undefined;
  const stats = entry.stats64;
  return {
    index: entry.ifindex,
    name: entry.ifname,
    kind,
    ...(entry.linkinfo?.info_kind ? { infoKind: entry.linkinfo.info_kind } : {}),
    ...(entry.link_type === 'ether' && entry.address ? { mac: entry.address } : {}),
    mtu: entry.mtu,
    up: entry.flags.includes('UP'),
    operState: entry.operstate,
    ...(entry.master ? { master: entry.master } : {}),
    ...(alias ? { alias } : {}),
    ...(owner ? { owner } : {}),
    ...(peer ? { peer } : {}),
    ...(tapOwner === undefined ? {} : { tapOwnerUid: tapOwner }),
    addresses: parseAddresses(entry),
    ...(stats
      ? { stats: { rxBytes: stats.rx.bytes, txBytes: stats.tx.bytes, rxPackets: stats.rx.packets, txPackets: stats.tx.packets } }
      : {}),
  };
}

export function parseLinks(entries: readonly IpLinkEntry[], sysfs: ReadonlyMap<string, SysfsFacts>, uids: ReadonlyMap<string, number> = NO_USERS): Link[] {
  return entries.map((e) => parseLink(e, sysfs.get(e.ifname), uids));
}

/** what parseLink reads from sysfs for this entry (see linkKind and tapOwnerUid) */
export function sysfsWants(entry: IpLinkEntry, uids: ReadonlyMap<string, number> = NO_USERS): SysfsWants {
  const infoKind = entry.linkinfo?.info_kind;
  const user = entry.linkinfo?.info_data?.user;
  return {
    hardware: infoKind === undefined && entry.link_type !== 'loopback',
    owner: infoKind === 'tun' && typeof user !== 'number' && !(typeof user === 'string' && uids.has(user)),
  };
}
