import { z } from 'zod';
import { NetworkName, ownerFromAlias } from '../core/names';
import { canonicalCidr } from './cidr';

/**
 * What the helper knows about one link: enough to check ownership, to compute each step's inverse
 * and to recreate an owned link exactly as it was. Parsed from `ip -j -d addr show`, which carries
 * the link details and the addresses in one read, or, for plans that need no addresses of links
 * already there, read from sysfs without them (sysfs-links.ts).
 */
export interface AddressFact {
  family: 'inet' | 'inet6';
  /** canonical ADDRESS/PREFIX */
  cidr: string;
  scope: string;
}

export interface LinkFacts {
  name: string;
  /** the kinds KVMNet creates; anything else is 'other' and is never recreated */
  kind: 'bridge' | 'tap' | 'veth' | 'other';
  mac?: string;
  mtu: number;
  up: boolean;
  master?: string;
  alias?: string;
  /** veth peer in this namespace */
  peer?: string;
  /** persistent tap: the uid allowed to open it (from sysfs, ip prints a user name) */
  tapUser?: number;
  stp?: boolean;
  /** bridge forward delay in centiseconds, as ip reads and writes it */
  forwardDelay?: number;
  addresses: AddressFact[];
  /** per-interface sysctls (path under /proc/sys -> value), read only when a step may delete the link */
  sysctls?: Record<string, string>;
}

export type LinkMap = ReadonlyMap<string, LinkFacts>;

export const isOwned = (link: LinkFacts | undefined): boolean =>
  link !== undefined && NetworkName.safeParse(ownerFromAlias(link.alias)).success;

/** the KVMNet network of an owned link */
export const ownerNetwork = (link: LinkFacts): string | undefined => {
  const network = ownerFromAlias(link.alias);
  return NetworkName.safeParse(network).success ? network : undefined;
};

/** addresses the kernel will not bring back by itself (it regenerates IPv6 link-local ones) */
export const restorableAddresses = (link: LinkFacts): AddressFact[] =>
  link.addresses.filter((a) => !(a.family === 'inet6' && a.scope === 'link'));

const IpJsonLink = z.looseObject({
  ifname: z.string(),
  flags: z.array(z.string()).default([]),
  mtu: z.number(),
  link_type: z.string().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  ifalias: z.string().optional(),
  /** the peer's name for a veth whose peer is in the same namespace */
  link: z.string().nullable().optional(),
  linkinfo: z
    .looseObject({
      info_kind: z.string().optional(),
      info_data: z.looseObject({ type: z.string().optional(), stp_state: z.number().optional(), forward_delay: z.number().optional() }).optional(),
    })
    .optional(),
  addr_info: z
    .array(z.looseObject({ family: z.string(), local: z.string().optional(), prefixlen: z.number().optional(), scope: z.string().optional() }))
    .default([]),
});

function kindOf(link: z.infer<typeof IpJsonLink>): LinkFacts['kind'] {
  const info = link.linkinfo;
  if (info?.info_kind === 'bridge') return 'bridge';
  if (info?.info_kind === 'veth') return 'veth';
  if (info?.info_kind === 'tun' && info.info_data?.type === 'tap') return 'tap';
  return 'other';
}

/** Parses `ip -j -d addr show`; tap owners come separately from sysfs (see tapUser). */
export function parseIpAddrJson(json: string): LinkFacts[] {
  return z.array(IpJsonLink).parse(JSON.parse(json)).map((l) => {
    const kind = kindOf(l);
    const facts: LinkFacts = {
      name: l.ifname,
      kind,
      mtu: l.mtu,
      up: l.flags.includes('UP'),
      addresses: l.addr_info.flatMap((a) =>
        (a.family === 'inet' || a.family === 'inet6') && a.local !== undefined && a.prefixlen !== undefined
          ? [{ family: a.family, cidr: canonicalCidr(`${a.local}/${a.prefixlen}`), scope: a.scope ?? 'global' }]
          : [],
      ),
    };
    if (l.address !== undefined && l.link_type === 'ether') facts.mac = l.address;
    if (l.master !== undefined) facts.master = l.master;
    if (l.ifalias !== undefined && l.ifalias !== '') facts.alias = l.ifalias;
    if (kind === 'veth' && typeof l.link === 'string') facts.peer = l.link;
    if (kind === 'bridge') {
      facts.stp = (l.linkinfo?.info_data?.stp_state ?? 0) !== 0;
      if (l.linkinfo?.info_data?.forward_delay !== undefined) facts.forwardDelay = l.linkinfo.info_data.forward_delay;
    }
    return facts;
  });
}

export const toLinkMap = (links: readonly LinkFacts[]): LinkMap => new Map(links.map((l) => [l.name, l]));
