import { z } from 'zod';

const Dev = z.enum(['eth0', 'eth1']);
const Ipv4 = z.ipv4({ error: 'expected an IPv4 address such as 10.80.0.1' });
// words of the kernel command line end at whitespace; init.sh splits lists at commas
const Word = /^[^\s,]+$/;

/** What the guest's /init does after boot, in this order; every field is optional. */
export const GuestBehaviour = z.strictObject({
  /** links to bring up, each by DHCP unless it has a static address (default: eth0) */
  interfaces: z.array(Dev).min(1).optional(),
  /** static addresses instead of DHCP, e.g. { eth0: '10.80.0.5/24' } */
  static: z.partialRecord(Dev, z.cidrv4({ error: 'expected an address with its prefix such as 10.80.0.5/24' })).optional(),
  /** serve this word at /marker (and /) with busybox httpd on port 80 */
  httpd: z.string().regex(/^[\w.-]+$/, 'use letters, digits, ".", "_" or "-" only').optional(),
  /** peers to ping, each retried for up to waitSeconds */
  ping: z.array(Ipv4).optional(),
  waitSeconds: z.number().int().min(1).max(120).optional(),
  /** http:// URLs to fetch with busybox wget; the first line of the body is reported */
  fetch: z.array(z.url({ protocol: /^http$/, error: 'expected an http:// URL' }).regex(Word, 'a URL here may hold no spaces or commas')).optional(),
  /** seconds to stay up before powering off (e.g. while the laptop fetches from httpd) */
  staySeconds: z.number().int().min(1).max(600).optional(),
});
export type GuestBehaviour = z.infer<typeof GuestBehaviour>;

/** The kvmnet.* words of the kernel command line that init.sh reads. */
export function behaviourWords(input: GuestBehaviour): string[] {
  const b = GuestBehaviour.parse(input);
  const words: string[] = [];
  if (b.interfaces) words.push(`kvmnet.ifaces=${b.interfaces.join(',')}`);
  for (const [dev, cidr] of Object.entries(b.static ?? {})) words.push(`kvmnet.addr.${dev}=${cidr}`);
  if (b.httpd) words.push(`kvmnet.httpd=${b.httpd}`);
  if (b.ping?.length) words.push(`kvmnet.ping=${b.ping.join(',')}`);
  if (b.waitSeconds) words.push(`kvmnet.wait=${b.waitSeconds}`);
  if (b.fetch?.length) words.push(`kvmnet.fetch=${b.fetch.join(',')}`);
  if (b.staySeconds) words.push(`kvmnet.stay=${b.staySeconds}`);
  return words;
}
