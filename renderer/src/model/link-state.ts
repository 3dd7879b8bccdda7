import type { IpAddress, Link } from '../../../main/core/host-snapshot';

export type LinkState = 'up' | 'noCarrier' | 'down';

/**
 * Plain-words state: "down" when switched off; "no carrier" when switched on but nothing is
 * connected (a TAP without a VM, an unplugged cable). The kernel reports UNKNOWN for links with no
 * notion of carrier (dummy, some tun); those count as up.
 */
export function linkState(link: Link): LinkState {
  if (!link.up) return 'down';
  return link.operState === 'UP' || link.operState === 'UNKNOWN' ? 'up' : 'noCarrier';
}

/** IPv6 link-local addresses exist on every link and tell the user nothing; they are left out. */
export const shownAddresses = (link: Link): IpAddress[] =>
  link.addresses.filter((a) => !(a.family === 'inet6' && a.scope === 'link'));

export const formatAddress = (a: IpAddress): string => `${a.address}/${a.prefixLength}`;
