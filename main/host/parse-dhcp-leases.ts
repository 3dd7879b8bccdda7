import { z } from 'zod';
import { MAC_PATTERN } from '../core/attach/mac';

/** One DHCP lease of a network, as `kvmnet leases` shows it. */
export const DhcpLease = z.object({
  mac: z.string(),
  ip: z.string(),
  hostname: z.string().optional(),
  /** when the lease ends, as ISO 8601 (UTC); left out for leases that never end */
  expires: z.string().optional(),
});
export type DhcpLease = z.infer<typeof DhcpLease>;

/** dnsmasq's lease file: "EXPIRY MAC IP HOSTNAME CLIENT-ID" a line (EXPIRY in epoch seconds, 0 = never); IPv6 lines carry no MAC and are left out */
export function parseDnsmasqLeaseFile(text: string): DhcpLease[] {
  return text.split('\n').flatMap((line) => {
    const [expiry, mac, ip, hostname] = line.trim().split(/\s+/);
    if (mac === undefined || ip === undefined || !MAC_PATTERN.test(mac.toLowerCase())) return [];
    const seconds = Number(expiry);
    return [{
      mac: mac.toLowerCase(),
      ip,
      ...(hostname !== undefined && hostname !== '*' && { hostname }),
      ...(Number.isInteger(seconds) && seconds > 0 && { expires: new Date(seconds * 1000).toISOString() }),
    }];
  });
}

/**
 * `virsh net-dhcp-leases <network>` (LC_ALL=C): a header, a dashed rule, then
 * " 2026-11-22 09:10:11   52:54:00:6b:6e:01   ipv4   10.81.1.150/24   guest   01:52:…" a lease.
 * virsh prints the expiry in its local time zone; the caller runs it with TZ=UTC.
 */
export function parseVirshDhcpLeases(text: string): DhcpLease[] {
  const lines = text.split('\n');
  const rule = lines.findIndex((l) => /^-{10,}\s*$/.test(l.trim()));
  return lines.slice(rule + 1).flatMap((line) => {
    const [date, time, mac, protocol, address, hostname] = line.trim().split(/\s+/);
    if (mac === undefined || !MAC_PATTERN.test(mac.toLowerCase()) || protocol !== 'ipv4' || address === undefined) return [];
    const expires = /^\d{4}-\d{2}-\d{2}$/.test(date ?? '') && /^\d{2}:\d{2}:\d{2}$/.test(time ?? '') ? `${date}T${time}Z` : undefined;
    return [{
      mac: mac.toLowerCase(),
      ip: address.replace(/\/\d+$/, ''),
      ...(hostname !== undefined && hostname !== '-' && { hostname }),
      ...(expires !== undefined && { expires }),
    }];
  });
}
