import type { LinkKind } from '../core/host-snapshot';
import type { IpLinkEntry } from './iproute2-json';
import type { SysfsFacts } from './sysfs-facts';

/** IFLA_INFO_KIND values that name a LinkKind of their own */
const KIND_BY_INFO_KIND: Readonly<Record<string, LinkKind>> = {
  bridge: 'bridge',
  veth: 'veth',
  macvlan: 'macvlan',
  macvtap: 'macvtap',
  vlan: 'vlan',
  bond: 'bond',
  dummy: 'dummy',
  wireguard: 'wireguard',
};

/**
 * Real NICs have no IFLA_INFO_KIND (no rtnl_link_ops), so hardware is told apart from odd virtual
 * links by sysfs: a bus device behind it, and a radio for Wi-Fi — which matters because a wireless
 * uplink cannot be enslaved to a bridge.
 */
export function linkKind(entry: IpLinkEntry, sysfs: SysfsFacts | undefined): LinkKind {
  if (entry.link_type === 'loopback') return 'loopback';
  const infoKind = entry.linkinfo?.info_kind;
  if (infoKind === 'tun') return entry.linkinfo?.info_data?.type === 'tap' ? 'tap' : 'tun';
  if (infoKind !== undefined) return KIND_BY_INFO_KIND[infoKind] ?? 'other';
  if (sysfs?.wireless) return 'wireless';
  if (sysfs?.device || entry.parentbus !== undefined) return 'physical';
  return 'other';
}
