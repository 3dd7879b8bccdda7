import { blockOf, cidrText, contains, overlaps, parseAddress, parseCidr, type Cidr } from '../../network/cidr';
import type { Check } from '../doctor-report';
import type { DoctorFacts } from '../doctor-facts';
import { capitalize } from '../sentence';
import { networkLinks, vmNetworks, type VmNetwork } from '../vm-networks';

interface Overlap {
  readonly network: VmNetwork;
  readonly subnet: string;
  /** the other party, in words: "the host route 192.168.122.0/24 on wlan0" */
  readonly other: string;
}

const DEFAULT_ROUTES = new Set(['default', '0.0.0.0/0', '::/0']);

/** `ip -j route` writes host routes as a bare address */
function routeBlock(dst: string): Cidr | undefined {
  const parsed = parseCidr(dst);
  if (parsed) return parsed.cidr;
  const address = parseAddress(dst);
  return address ? blockOf(address, address.kind() === 'ipv4' ? 32 : 128) : undefined;
}

/**
 * A proxy-ARP network's slice lies inside its uplink's LAN by design: the LAN's route and the
 * host's address there hold it without a clash. A narrower route on the uplink still clashes.
 */
const isSharedLan = (network: VmNetwork, dev: string | undefined, block: Cidr, subnet: Cidr): boolean =>
  network.sharesLanOf !== undefined && dev === network.sharesLanOf && block.prefix < subnet.prefix && contains(block, subnet.network);

/** host routes and addresses outside the network's own bridge and ports that share its subnet */
function hostOverlaps(network: VmNetwork, subnet: Cidr, facts: DoctorFacts): string[] {
  const own = networkLinks(network, facts);
  const found: string[] = [];
  for (const route of facts.snapshot.routes) {
    if (DEFAULT_ROUTES.has(route.dst) || route.table === 'local' || (route.dev !== undefined && own.has(route.dev))) continue;
    const block = routeBlock(route.dst);
    if (block && isSharedLan(network, route.dev, block, subnet)) continue;
    if (block && overlaps(block, subnet)) found.push(`the host route ${cidrText(block)}${route.dev ? ` on ${route.dev}` : route.gateway ? ` via ${route.gateway}` : ''}`);
  }
  for (const link of facts.snapshot.links) {
    if (own.has(link.name)) continue;
    for (const a of link.addresses) {
      const address = parseAddress(a.address);
      if (!address || a.scope === 'link' || a.scope === 'host' || isSharedLan(network, link.name, blockOf(address, a.prefixLength), subnet)) continue;
      if (overlaps(blockOf(address, a.prefixLength), subnet)) found.push(`the address ${a.address}/${a.prefixLength} on ${link.name}`);
    }
  }
  return found;
}

export function checkSubnetOverlap(facts: DoctorFacts): Check {
  const networks = vmNetworks(facts);
  const parsed = networks.flatMap((network) =>
    network.subnets.flatMap((subnet) => {
      const cidr = parseCidr(subnet)?.cidr;
      return cidr ? [{ network, subnet, cidr }] : [];
    }),
  );
  const found: Overlap[] = [];
  parsed.forEach(({ network, subnet, cidr }, i) => {
    for (const other of hostOverlaps(network, cidr, facts)) found.push({ network, subnet, other });
    // each pair of networks once
    for (const later of parsed.slice(i + 1)) {
      if (later.network !== network && overlaps(later.cidr, cidr)) found.push({ network, subnet, other: `${later.network.label} (${later.subnet})` });
    }
  });
  if (found.length === 0) {
    return {
      id: 'subnet-overlap',
      status: 'ok',
      summary: 'No VM network overlaps the host’s networks',
      detail: networks.length === 0 ? 'There is no VM network yet.' : `The subnets of ${networks.map((n) => n.label).join(', ')} are clear of the host's routes, addresses and each other.`,
    };
  }
  const active = found.filter((o) => o.network.active);
  const shown = active[0] ?? found[0]!;
  const more = found.length > 1 ? ` (${found.length - 1} more overlap${found.length > 2 ? 's' : ''})` : '';
  return {
    id: 'subnet-overlap',
    status: active.length > 0 ? 'fail' : 'warn',
    summary: capitalize(`${shown.network.label} (${shown.subnet}) overlaps ${shown.other}${more}`),
    detail:
      `The host cannot tell which side addresses in ${shown.subnet} belong to, so ${active.length > 0 ? '' : 'once the network starts, '}either the VMs or that network become unreachable (this happens when a new Wi-Fi or VPN hands out the same range). ` +
      `Give ${shown.network.label} another subnet.`,
  };
}
