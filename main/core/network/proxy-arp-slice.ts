import {
  addressAt, blockOf, cidrText, contains, lastAddress, overlaps, parseAddress, parseCidr, sameAddress, type Cidr, type IpAddr,
} from './cidr';
import type { NetworkContext } from './network-context';
import type { OccupiedRange } from './occupied-ranges';

/**
 * A routed network with proxy ARP shares its uplink's LAN: its subnet is a slice of the LAN's IPv4
 * subnet (192.168.1.240/28 of 192.168.1.0/24), the bridge holds the slice's first host address, and
 * the host answers ARP on the uplink for the guests' addresses. LAN hosts then reach guests as if
 * they sat on the LAN, without a route of their own. The slice must hold no address the LAN
 * already uses; the router's DHCP pool cannot be seen from here, so that part is a warning.
 */

/** the slice KVMNet picks when none is given: a /28 leaves seven DHCP addresses for guests */
export const DEFAULT_SLICE_PREFIX = 28;

/** The uplink's LAN as this host sees it. */
export interface UplinkLan {
  readonly lan: Cidr;
  /** the host's own address on the uplink */
  readonly host: IpAddr;
  /** the LAN's default gateway, when the host routes through it */
  readonly gateway: IpAddr | undefined;
  /** addresses known to be in use on the LAN: the host's, the gateway's, other routes' gateways, neighbours */
  readonly known: readonly IpAddr[];
}

/** undefined when the uplink holds no global IPv4 address (not connected, or IPv6 only) */
export function uplinkLan(uplink: string, context: NetworkContext): UplinkLan | undefined {
  const link = context.snapshot.links.find((l) => l.name === uplink);
  const address = link?.addresses.find((a) => a.family === 'inet' && a.scope !== 'link' && a.scope !== 'host');
  const host = address && parseAddress(address.address, 'ipv4');
  if (!address || !host) return undefined;
  const lan = blockOf(host, address.prefixLength);
  const onLan = (text: string | undefined) => {
    const ip = text === undefined ? undefined : parseAddress(text, 'ipv4');
    return ip && contains(lan, ip) ? [ip] : [];
  };
  const routes = context.snapshot.routes.filter((r) => r.family === 'inet' && r.dev === uplink);
  const gateway = routes.filter((r) => r.dst === 'default' || r.dst === '0.0.0.0/0').flatMap((r) => onLan(r.gateway))[0];
  const known = [
    host,
    ...routes.flatMap((r) => onLan(r.gateway)),
    ...(context.neighbours ?? []).filter((n) => n.dev === uplink).flatMap((n) => onLan(n.address)),
  ];
  return { lan, host, gateway, known };
}

/** the occupied ranges that are the LAN itself: a proxy-ARP slice lies inside them on purpose */
export const outsideLan = (occupied: readonly OccupiedRange[], lan: Cidr): OccupiedRange[] =>
  occupied.filter((o) => !(o.cidr.prefix === lan.prefix && sameAddress(o.cidr.network, lan.network)));

/**
 * The highest /28 of the LAN that holds no known address and overlaps nothing else on the host:
 * routers usually hand out DHCP from the bottom of the subnet, so the top is the likeliest to be
 * free. Deterministic: the same host state gives the same slice.
 */
export function defaultProxyArpSlice(lan: UplinkLan, occupied: readonly OccupiedRange[]): Cidr | undefined {
  if (lan.lan.prefix >= DEFAULT_SLICE_PREFIX) return undefined;
  const others = outsideLan(occupied, lan.lan);
  const count = 1n << BigInt(DEFAULT_SLICE_PREFIX - lan.lan.prefix);
  const size = 1n << BigInt(32 - DEFAULT_SLICE_PREFIX);
  for (let i = count - 1n; i >= 0n; i--) {
    const slice = blockOf(addressAt(lan.lan, i * size), DEFAULT_SLICE_PREFIX);
    if (lan.known.some((a) => contains(slice, a))) continue;
    if (others.some((o) => overlaps(o.cidr, slice))) continue;
    return slice;
  }
  return undefined;
}

/** Why `slice` cannot be the subnet of a proxy-ARP network on this LAN, each with its fix; empty when it can. */
export function proxyArpSliceProblems(slice: Cidr, lan: UplinkLan, uplink: string, suggestion: Cidr | undefined): string[] {
  const instead = suggestion ? `; use a free slice such as ${cidrText(suggestion)}` : '';
  const lanText = cidrText(lan.lan);
  if (!contains(lan.lan, slice.network) || slice.prefix < lan.lan.prefix) {
    return [`ipv4.subnet ${cidrText(slice)} is not inside ${lanText}, the LAN of ${uplink}: with proxy ARP, guests take addresses from the LAN's own subnet${instead}`];
  }
  if (slice.prefix === lan.lan.prefix) {
    return [`ipv4.subnet ${cidrText(slice)} is the whole LAN of ${uplink}: give the guests a slice of it, such as a /28, so the LAN keeps its own hosts${instead}`];
  }
  const problems: string[] = [];
  if (contains(slice, lan.host)) {
    problems.push(`ipv4.subnet ${cidrText(slice)} holds ${lan.host.toString()}, this host's own address on ${uplink}${instead}`);
  }
  if (lan.gateway && contains(slice, lan.gateway)) {
    problems.push(`ipv4.subnet ${cidrText(slice)} holds ${lan.gateway.toString()}, the LAN's default gateway${instead}`);
  }
  const inUse = lan.known.find((a) => contains(slice, a) && !sameAddress(a, lan.host) && !(lan.gateway && sameAddress(a, lan.gateway)));
  if (inUse) {
    problems.push(`ipv4.subnet ${cidrText(slice)} holds ${inUse.toString()}, an address already in use on the LAN of ${uplink}${instead}`);
  }
  return problems;
}

/**
 * What KVMNet cannot check: the LAN router's DHCP pool. A router handing out an address of the
 * slice would give a LAN host an address the host answers ARP for.
 */
export function proxyArpWarnings(spec: { proxyArp?: boolean | undefined; uplink?: string | undefined; ipv4: { subnet: string } | null }): string[] {
  if (!spec.proxyArp || !spec.ipv4) return [];
  const slice = parseCidr(spec.ipv4.subnet, 'ipv4')?.cidr;
  if (!slice) return [];
  return [
    `${spec.ipv4.subnet} must lie outside the DHCP pool of the LAN's router (${addressAt(slice, 0n).toString()}–${lastAddress(slice).toString()}); ` +
      `KVMNet cannot see that pool: check the router's settings, and shrink its pool if it overlaps`,
  ];
}
