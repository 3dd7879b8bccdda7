import { z } from 'zod';

/**
 * The parts of iproute2's JSON output (6.x) that the observer reads. Objects accept and drop the
 * fields they do not name, because newer iproute2 versions add fields (and copying the dozens of
 * unread ones of every link costs more than the rest of a snapshot on a host with a thousand taps);
 * a missing required field means the output is not what we think it is, and parsing fails loudly
 * instead of showing a half-empty host.
 */

export const IpAddrInfo = z.object({
  family: z.string(),
  local: z.string().optional(),
  prefixlen: z.number().int().optional(),
  scope: z.string().optional(),
});

const Counters = z.object({ bytes: z.number(), packets: z.number() });

/** one entry of `ip -j -d -s addr show`: link details, addresses and counters in one dump */
export const IpLinkEntry = z.object({
  ifindex: z.number().int(),
  ifname: z.string(),
  flags: z.array(z.string()).default([]),
  mtu: z.number().int(),
  operstate: z.string().default('UNKNOWN'),
  link_type: z.string().optional(),
  address: z.string().optional(),
  master: z.string().optional(),
  ifalias: z.string().optional(),
  /** the lower device's name (veth peer, macvlan parent); null when the kernel reports none */
  link: z.string().nullable().optional(),
  /** present when the peer lives in another network namespace */
  link_netnsid: z.number().optional(),
  /** the bus of a real device (virtio, pci, usb); absent for virtual links */
  parentbus: z.string().optional(),
  linkinfo: z
    .object({
      info_kind: z.string().optional(),
      info_data: z
        .object({
          /** tun devices: 'tun' or 'tap' */
          type: z.string().optional(),
          /** tun devices: a uid, or the user's name when iproute2 could resolve it */
          user: z.union([z.number(), z.string()]).optional(),
        })
        .optional(),
    })
    .optional(),
  addr_info: z.array(IpAddrInfo).default([]),
  stats64: z.object({ rx: Counters, tx: Counters }).optional(),
});
export type IpLinkEntry = z.infer<typeof IpLinkEntry>;

/** one entry of `ip -j route show` / `ip -j -6 route show` */
export const IpRouteEntry = z.object({
  /** 'unicast' is implied when absent; others are unreachable, blackhole, local … */
  type: z.string().optional(),
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  /** names (kernel, static, dhcp) or numbers when /etc/iproute2 has no name for them */
  protocol: z.coerce.string().optional(),
  scope: z.string().optional(),
  metric: z.number().optional(),
  table: z.coerce.string().optional(),
});
export type IpRouteEntry = z.infer<typeof IpRouteEntry>;

/** JSON.parse plus schema check, with an error that says which command printed what */
export function parseIpJson<T extends z.ZodType>(schema: T, text: string, command: string): z.infer<T>[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`\`${command}\` did not print JSON; is iproute2 older than 4.14?`);
  }
  const result = z.array(schema).safeParse(json);
  if (!result.success) throw new Error(`\`${command}\` printed JSON of an unexpected shape: ${result.error.issues[0]?.message ?? 'unknown'}`);
  return result.data;
}
