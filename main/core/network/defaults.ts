import { deriveBridgeName, takenInterfaceNames } from './bridge-name';
import { addressAt, cidrText, parseAddress, parseExactCidr, type IpAddr, type IpFamily } from './cidr';
import { defaultDhcpRange, type AddressRange } from './dhcp-range';
import { NetworkInputError } from './field-issue';
import { findFreeIpv4Subnet, findFreeIpv6Subnet, IPV4_POOLS } from './free-subnet';
import type { NetworkContext } from './network-context';
import { NetworkDraft, NetworkSpec, type DhcpRange, type Ipv6Settings } from './network-spec';
import { occupiedRanges } from './occupied-ranges';
import { defaultProxyArpSlice, uplinkLan } from './proxy-arp-slice';
import { validateNetwork } from './validate-network';

/**
 * A draft made whole. Defaults, all deterministic (the same draft and host state give the same spec):
 * - kind nat; backend libvirt when libvirtd answers, else direct; autostart on;
 * - bridge "kv-<name>" (see bridge-name.ts);
 * - ipv4: the first free /24 of the pools in free-subnet.ts, gateway its first address;
 *   with proxyArp, the highest free /28 of the uplink's LAN instead (see proxy-arp-slice.ts), and backend direct;
 * - dhcp: the upper half of the subnet (see dhcp-range.ts);
 * - ipv6 (only when the draft has an `ipv6` object): a unique local /64 derived from host and
 *   network name, gateway ::1, no DHCPv6 (SLAAC).
 * Addresses are written in canonical form. Throws NetworkInputError with every problem when the
 * draft cannot become a valid network here; nothing is half-filled.
 */
export function completeDraft(input: unknown, context: NetworkContext): NetworkSpec {
  const issues = validateNetwork(input, context);
  if (issues.length > 0) throw new NetworkInputError(issues);
  const draft = NetworkDraft.parse(input);

  const kind = draft.kind ?? 'nat';
  const taken = occupiedRanges(context, draft.name).map((o) => o.cidr);
  let ipv4: NetworkSpec['ipv4'] = null;
  let dhcp: DhcpRange | null = null;
  let ipv6: Ipv6Settings | undefined;

  if (kind !== 'isolated') {
    const subnetText = draft.ipv4?.subnet ?? (draft.proxyArp ? proxyArpDefaultSlice(draft.uplink, draft.name, context) : findFreeIpv4Subnet(taken));
    if (subnetText === undefined) {
      throw new NetworkInputError([{
        field: 'ipv4.subnet',
        message: `ipv4.subnet: no free /24 is left in ${IPV4_POOLS.join(' or ')} on this host; set ipv4.subnet to a subnet no route, address or network uses`,
      }]);
    }
    const subnet = exact(subnetText, 'ipv4');
    const gateway = canonical(draft.ipv4?.gateway, 'ipv4') ?? addressAt(subnet, 1n);
    ipv4 = { subnet: cidrText(subnet), gateway: gateway.toString() };
    dhcp = draft.dhcp === undefined ? rangeOrNull(defaultDhcpRange(subnet, gateway)) : canonicalRange(draft.dhcp);

    if (draft.ipv6) {
      const subnet6Text = draft.ipv6.subnet ?? findFreeIpv6Subnet(taken, `${context.snapshot.hostname}/${draft.name}`);
      if (subnet6Text === undefined) {
        throw new NetworkInputError([{ field: 'ipv6.subnet', message: 'ipv6.subnet: no free unique local /64 is left for this network; set ipv6.subnet yourself' }]);
      }
      const subnet6 = exact(subnet6Text, 'ipv6');
      const gateway6 = canonical(draft.ipv6.gateway, 'ipv6') ?? addressAt(subnet6, 1n);
      ipv6 = { subnet: cidrText(subnet6), gateway: gateway6.toString(), dhcp: canonicalRange(draft.ipv6.dhcp ?? null) };
    }
  }

  const spec = NetworkSpec.parse({
    name: draft.name,
    kind,
    backend: draft.backend ?? (context.libvirtAvailable && !draft.proxyArp ? 'libvirt' : 'direct'),
    bridge: draft.bridge ?? deriveBridgeName(draft.name, takenInterfaceNames(context, draft.name)),
    ...(draft.uplink !== undefined && { uplink: draft.uplink }),
    ipv4,
    dhcp,
    ...(draft.domain !== undefined && { domain: draft.domain }),
    autostart: draft.autostart ?? true,
    ...(draft.mtu !== undefined && { mtu: draft.mtu }),
    ...(ipv6 && { ipv6 }),
    ...(draft.forwards?.length && { forwards: draft.forwards }),
    ...(draft.reservations?.length && { reservations: draft.reservations }),
    ...(draft.proxyArp && { proxyArp: true }),
  });
  // The defaults were chosen to pass; this guards the choices themselves.
  const after = validateNetwork(spec, context);
  if (after.length > 0) throw new NetworkInputError(after);
  return spec;
}

/** validateNetwork has already refused a proxy-ARP draft whose uplink has no LAN or no free slice */
function proxyArpDefaultSlice(uplink: string | undefined, name: string, context: NetworkContext): string | undefined {
  const lan = uplink === undefined ? undefined : uplinkLan(uplink, context);
  const slice = lan && defaultProxyArpSlice(lan, occupiedRanges(context, name));
  return slice && cidrText(slice);
}

function exact(text: string, family: IpFamily) {
  const cidr = parseExactCidr(text, family);
  if (!cidr) throw new Error(`validated subnet ${text} did not parse`);
  return cidr;
}

function canonical(text: string | undefined, family: IpFamily): IpAddr | undefined {
  return text === undefined ? undefined : parseAddress(text, family);
}

const rangeOrNull = (r: AddressRange | undefined): DhcpRange | null =>
  r ? { start: r.start.toString(), end: r.end.toString() } : null;

function canonicalRange(r: { start: string; end: string } | null): DhcpRange | null {
  if (!r) return null;
  const start = parseAddress(r.start);
  const end = parseAddress(r.end);
  return start && end ? { start: start.toString(), end: end.toString() } : null;
}
