import { z } from 'zod';

/** One read of the host's networking, built by the observer from `ip -j`, `bridge -j`, sysfs and virsh. */

export const LinkKind = z.enum([
  'loopback', 'physical', 'wireless', 'bridge', 'tap', 'tun', 'veth', 'macvlan', 'macvtap',
  'vlan', 'bond', 'dummy', 'wireguard', 'other',
]);
export type LinkKind = z.infer<typeof LinkKind>;

export const IpAddress = z.object({
  family: z.enum(['inet', 'inet6']),
  address: z.string(),
  prefixLength: z.number().int().min(0).max(128),
  scope: z.string(),
});
export type IpAddress = z.infer<typeof IpAddress>;

export const LinkStats = z.object({
  rxBytes: z.number(), txBytes: z.number(), rxPackets: z.number(), txPackets: z.number(),
});

export const Link = z.object({
  index: z.number().int(),
  name: z.string(),
  kind: LinkKind,
  /** the kernel's IFLA_INFO_KIND (bridge, veth, tun …) when there is one */
  infoKind: z.string().optional(),
  mac: z.string().optional(),
  mtu: z.number().int(),
  /** administratively up (IFF_UP) */
  up: z.boolean(),
  operState: z.string(),
  master: z.string().optional(),
  alias: z.string().optional(),
  /** the KVMNet network that owns this link, read from its alias */
  owner: z.string().optional(),
  /** for veth pairs: the peer's name when it is in the same namespace */
  peer: z.string().optional(),
  /** for persistent taps: the uid allowed to open it */
  tapOwnerUid: z.number().int().optional(),
  addresses: z.array(IpAddress),
  stats: LinkStats.optional(),
});
export type Link = z.infer<typeof Link>;

export const Route = z.object({
  family: z.enum(['inet', 'inet6']),
  /** 'default' or a CIDR */
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  protocol: z.string().optional(),
  scope: z.string().optional(),
  metric: z.number().optional(),
  table: z.string().optional(),
});
export type Route = z.infer<typeof Route>;

export const LibvirtNetwork = z.object({
  name: z.string(),
  uuid: z.string().optional(),
  active: z.boolean(),
  autostart: z.boolean(),
  persistent: z.boolean(),
  bridge: z.string().optional(),
  forwardMode: z.string().optional(),
  /** KVMNet's own networks carry metadata; others are shown read-only */
  managedByKvmnet: z.boolean(),
});
export type LibvirtNetwork = z.infer<typeof LibvirtNetwork>;

export const LibvirtInterface = z.object({
  type: z.string(),
  mac: z.string().optional(),
  source: z.string().optional(),
  target: z.string().optional(),
  model: z.string().optional(),
});

export const LibvirtDomain = z.object({
  name: z.string(),
  state: z.string(),
  interfaces: z.array(LibvirtInterface),
});
export type LibvirtDomain = z.infer<typeof LibvirtDomain>;

export const LibvirtState = z.object({
  available: z.boolean(),
  /** why libvirt could not be read, in plain words */
  reason: z.string().optional(),
  networks: z.array(LibvirtNetwork),
  domains: z.array(LibvirtDomain),
});

export const HostSnapshot = z.object({
  takenAt: z.string(),
  hostname: z.string(),
  links: z.array(Link),
  routes: z.array(Route),
  libvirt: LibvirtState,
});
export type HostSnapshot = z.infer<typeof HostSnapshot>;
