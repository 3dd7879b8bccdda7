import type { IpAddress } from '../core/host-snapshot';
import type { IpLinkEntry } from './iproute2-json';

/** the IPv4/IPv6 addresses of one `ip -j addr` entry; other families (none today) are left out */
export function parseAddresses(entry: Pick<IpLinkEntry, 'addr_info'>): IpAddress[] {
  return entry.addr_info.flatMap((a): IpAddress[] =>
    (a.family === 'inet' || a.family === 'inet6') && a.local !== undefined && a.prefixlen !== undefined
      ? [{ family: a.family, address: a.local, prefixLength: a.prefixlen, scope: a.scope ?? 'global' }]
      : [],
  );
}
