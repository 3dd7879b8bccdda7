import type { LinkFacts } from './link-facts';

/**
 * The links as /sys/class/net shows them: everything `ip -j -d addr show` gives the helper
 * except the addresses, which only netlink knows, without starting a process (a spawn costs 2 to
 * 5 ms on a busy machine, more than reading a few dozen small files).
 *
 * - kind: a bridge has a bridge/ directory; a tap has tun_flags with IFF_TAP; a veth is a link
 *   whose peer in this namespace points back at it (iflink each way), which is how KVMNet creates
 *   them. A veth whose peer is in another namespace reads as 'other': it is not KVMNet's kind of
 *   veth, and the plans read this way never recreate a link.
 * - mac: only for Ethernet links (type 1), as ip's `link_type: ether`.
 * - stp and forward delay: the bridge's sysfs values, in the same units ip reads (clock ticks).
 */

/** one directory under /sys/class/net, its files as read (undefined: absent) */
export interface SysfsLink {
  name: string;
  ifindex: string;
  iflink: string | undefined;
  type: string | undefined;
  address: string | undefined;
  mtu: string | undefined;
  flags: string | undefined;
  ifalias: string | undefined;
  /** the target of the master symlink */
  master: string | undefined;
  tunFlags: string | undefined;
  owner: string | undefined;
  /** bridge/stp_state and bridge/forward_delay; undefined when there is no bridge/ directory */
  bridge: { stpState: string; forwardDelay: string | undefined } | undefined;
}

/** include/uapi/linux/if.h, include/uapi/linux/if_tun.h, include/uapi/linux/if_arp.h */
const IFF_UP = 0x1;
const IFF_TAP = 0x2;
const ARPHRD_ETHER = '1';

const integer = (text: string | undefined): number | undefined => {
  if (text === undefined || !/^-?[0-9]+$|^0x[0-9a-f]+$/i.test(text)) return undefined;
  return Number(text);
};

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** the links in interface index order, as ip lists them */
export function linksFromSysfs(raw: readonly SysfsLink[]): LinkFacts[] {
  const byIndex = new Map(raw.map((l) => [l.ifindex, l]));
  return [...raw].sort((a, b) => Number(a.ifindex) - Number(b.ifindex)).map((l) => {
    const peer = l.iflink !== undefined && l.iflink !== l.ifindex ? byIndex.get(l.iflink) : undefined;
    const kind: LinkFacts['kind'] = l.bridge !== undefined
      ? 'bridge'
      : ((integer(l.tunFlags) ?? 0) & IFF_TAP) !== 0
        ? 'tap'
        : peer !== undefined && peer.iflink === l.ifindex ? 'veth' : 'other';
    const facts: LinkFacts = { name: l.name, kind, mtu: integer(l.mtu) ?? 0, up: ((integer(l.flags) ?? 0) & IFF_UP) !== 0, addresses: [] };
    if (l.type === ARPHRD_ETHER && l.address !== undefined && l.address !== '') facts.mac = l.address;
    if (l.master !== undefined) facts.master = basename(l.master);
    if (l.ifalias !== undefined && l.ifalias !== '') facts.alias = l.ifalias;
    if (kind === 'veth') facts.peer = peer!.name;
    if (kind === 'tap') {
      const owner = integer(l.owner);
      if (owner !== undefined && owner >= 0) facts.tapUser = owner;
    }
    if (kind === 'bridge') {
      facts.stp = (integer(l.bridge!.stpState) ?? 0) !== 0;
      const delay = integer(l.bridge!.forwardDelay);
      if (delay !== undefined) facts.forwardDelay = delay;
    }
    return facts;
  });
}

/**
 * Whether the sysfs read shows this process's network namespace. A sysfs mounted for another
 * namespace (a namespace entered without mounting its own) shows that namespace's links; /proc/net
 * always shows the reader's. So the names must be those of /proc/net/dev, and every interface
 * index /proc/net/if_inet6 and /proc/net/dev_mcast name must be the one sysfs gives.
 */
export function sysfsShowsThisNamespace(raw: readonly SysfsLink[], procNetDev: string, ifInet6: string, devMcast: string): boolean {
  const names = procNetDev.split('\n').slice(2).map((line) => line.split(':')[0]!.trim()).filter((name) => name !== '');
  const sysfs = new Map(raw.map((l) => [l.name, Number(l.ifindex)]));
  if (names.length !== sysfs.size || names.some((name) => !sysfs.has(name))) return false;
  // if_inet6: address, index (hex), prefix, scope, flags, name; dev_mcast: index (decimal), name, …
  const indices = [
    ...ifInet6.split('\n').map((line) => line.trim().split(/\s+/)).filter((f) => f.length === 6).map((f) => [f[5]!, Number.parseInt(f[1]!, 16)] as const),
    ...devMcast.split('\n').map((line) => line.trim().split(/\s+/)).filter((f) => f.length >= 2).map((f) => [f[1]!, Number(f[0])] as const),
  ];
  return indices.every(([name, index]) => sysfs.get(name) === index);
}
