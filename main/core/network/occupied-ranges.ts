import { blockOf, cidrText, parseAddress, parseCidr, type Cidr } from './cidr';
import { describeNetwork, linkOwner, type NetworkContext } from './network-context';

/** An address block something on the host already uses, and who, in words fit for an error message. */
export interface OccupiedRange {
  readonly cidr: Cidr;
  readonly what: string;
}

const DEFAULT_ROUTES = new Set(['default', '0.0.0.0/0', '::/0']);

/**
 * Every block a new network `network` must stay clear of, routes first (they say where traffic
 * already goes), then addresses on links, then other networks' subnets. Links and routes that
 * belong to `network` itself are left out, so re-checking a network that already runs passes.
 * The default route is left out: it covers everything and is exactly what NAT sends through.
 */
export function occupiedRanges(context: NetworkContext, network: string): OccupiedRange[] {
  const { snapshot } = context;
  const ownLinks = new Set(snapshot.links.filter((l) => linkOwner(l, snapshot) === network).map((l) => l.name));
  const occupied: OccupiedRange[] = [];

  for (const route of snapshot.routes) {
    if (DEFAULT_ROUTES.has(route.dst) || route.table === 'local' || (route.dev && ownLinks.has(route.dev))) continue;
    const cidr = routeDestination(route.dst);
    if (!cidr) continue;
    const where = route.dev ? ` on ${route.dev}` : route.gateway ? ` via ${route.gateway}` : '';
    occupied.push({ cidr, what: `the host route ${cidrText(cidr)}${where}` });
  }

  for (const link of snapshot.links) {
    if (ownLinks.has(link.name)) continue;
    for (const a of link.addresses) {
      const address = parseAddress(a.address);
      if (!address || a.scope === 'link') continue;
      occupied.push({ cidr: blockOf(address, a.prefixLength), what: `the address ${a.address}/${a.prefixLength} on ${link.name}` });
    }
  }

  for (const other of context.existing) {
    if (other.name === network) continue;
    const subnets = [other.ipv4?.subnet, other.ipv6?.subnet, ...(other.additionalSubnets ?? [])];
    for (const subnet of subnets) {
      const parsed = subnet === undefined ? undefined : parseCidr(subnet);
      if (parsed) occupied.push({ cidr: parsed.cidr, what: `the subnet ${cidrText(parsed.cidr)} of ${describeNetwork(other)}` });
    }
  }
  return occupied;
}

/** `ip -j route` writes host routes as a bare address */
function routeDestination(dst: string): Cidr | undefined {
  const parsed = parseCidr(dst);
  if (parsed) return parsed.cidr;
  const address = parseAddress(dst);
  return address ? blockOf(address, address.kind() === 'ipv4' ? 32 : 128) : undefined;
}
