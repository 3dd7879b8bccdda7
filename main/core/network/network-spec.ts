import { z } from 'zod';
import { InterfaceName, NetworkName } from '../names';
import { NetworkForward } from '../attach/port-forward';
import { NetworkReservation } from '../attach/reservation';
import { ipAddress, Ipv4Address, Ipv4Subnet, Ipv6Address, Ipv6Subnet } from './address-schemas';
import { contains, parseAddress, parseExactCidr, type IpFamily } from './cidr';

/**
 * A KVMNet virtual network, complete (NetworkSpec) or as a user, the CLI or a wizard gives it
 * (NetworkDraft, completed by completeDraft). These schemas check each field on its own; rules that
 * relate fields or need the host's state live in validateNetwork.
 *
 * kind, in libvirt terms (formatnetwork):
 * - nat: `<forward mode='nat'>`, guests reach out through the host's masquerade. `uplink` is
 *   optional, as libvirt's `<forward dev>` is: left out, traffic leaves by whatever device the
 *   host routes it to (normally the default route's), which survives switching from cable to Wi-Fi.
 * - routed: `<forward mode='route'>`, no address translation. `uplink` is required here (libvirt
 *   would route to any device): the LAN behind it must carry a route back to the subnet, so the
 *   user has to know which LAN that is, and pinning the device keeps guests off VPNs and others.
 *   With `proxyArp`, the subnet is a slice of the uplink's own LAN subnet and the host answers ARP
 *   on the uplink for the guests' addresses (net.ipv4.conf.<uplink>.proxy_arp), so the LAN reaches
 *   them without a route of its own: the way onto a LAN that cannot be bridged, such as Wi-Fi.
 * - hostonly: no `<forward>`; the host has an address and serves DHCP, guests reach the host and
 *   each other only.
 * - isolated: no `<forward>` and no host address: guests reach only each other. With no host
 *   address there is nowhere to run DHCP or DNS, so ipv4, dhcp, ipv6 and domain stay empty.
 */

export const NETWORK_KINDS = ['nat', 'routed', 'hostonly', 'isolated'] as const;
export const NetworkKind = z.enum(NETWORK_KINDS, {
  error: `must be one of ${NETWORK_KINDS.join(', ')}`,
});
export type NetworkKind = z.infer<typeof NetworkKind>;

export const NETWORK_BACKENDS = ['libvirt', 'direct'] as const;
export const NetworkBackend = z.enum(NETWORK_BACKENDS, {
  error: 'must be "libvirt" (a libvirt network) or "direct" (bridge + dnsmasq for plain QEMU)',
});
export type NetworkBackend = z.infer<typeof NetworkBackend>;

export { Ipv4Address, Ipv4Subnet, Ipv6Address, Ipv6Subnet };

const dhcpRange = (family: IpFamily) => z.strictObject({ start: ipAddress(family), end: ipAddress(family) });
export const DhcpRange = dhcpRange('ipv4');
export type DhcpRange = z.infer<typeof DhcpRange>;
export const Dhcp6Range = dhcpRange('ipv6');

export const MAX_FORWARDS = 256;
export const MAX_RESERVATIONS = 1024;

export const MTU_MIN = 68;
export const MTU_MAX = 65535;
export const Mtu = z
  .number({ error: `must be a number from ${MTU_MIN} to ${MTU_MAX}; 1500 is usual` })
  .int({ error: `must be a whole number from ${MTU_MIN} to ${MTU_MAX}` })
  .min(MTU_MIN, { error: (i) => `${String(i.input)} is below ${MTU_MIN}, the smallest MTU IPv4 allows; use 1500 unless you know better` })
  .max(MTU_MAX, { error: (i) => `${String(i.input)} is above ${MTU_MAX}, the largest MTU Linux allows; use 9000 for jumbo frames` });

/** RFC 1035 host-name rules: dot-separated labels of letters, digits and inner hyphens */
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
export const DnsDomain = z
  .string({ error: 'must be a DNS domain written as text, e.g. lab.internal' })
  .refine((s) => s.length <= 253 && s.split('.').every((label) => DNS_LABEL.test(label)), {
    error: (i) =>
      `"${String(i.input)}" is not a DNS domain; use dot-separated labels of letters, digits and inner "-" (each up to 63 characters), e.g. lab.internal`,
  });

export const Ipv4Settings = z.strictObject({
  subnet: Ipv4Subnet,
  /** the host's address on the bridge, which guests use as their gateway and DNS server */
  gateway: Ipv4Address,
});
export type Ipv4Settings = z.infer<typeof Ipv4Settings>;

export const Ipv6Settings = z.strictObject({
  /** a /64: libvirt's dnsmasq advertises the prefix (SLAAC) and serves DHCPv6 only on /64s */
  subnet: Ipv6Subnet,
  gateway: Ipv6Address,
  /** null: addresses by SLAAC from router advertisements only */
  dhcp: Dhcp6Range.nullable(),
});
export type Ipv6Settings = z.infer<typeof Ipv6Settings>;

/**
 * The complete network. Its refinement holds only what each kind structurally needs, so that a spec
 * crossing a process boundary cannot describe a routed network without an uplink; validateNetwork
 * gives the user the full checks and their fixes.
 */
/** a network's reservations as a whole, as its spec and its dnsmasq's hosts file hold them */
export const NetworkSpecReservations = z.array(NetworkReservation).max(MAX_RESERVATIONS, { error: `at most ${MAX_RESERVATIONS} reservations per network` });

export const NetworkSpec = z
  .strictObject({
    name: NetworkName,
    kind: NetworkKind,
    backend: NetworkBackend,
    bridge: InterfaceName,
    uplink: InterfaceName.optional(),
    /** null for isolated networks only */
    ipv4: Ipv4Settings.nullable(),
    dhcp: DhcpRange.nullable(),
    domain: DnsDomain.optional(),
    autostart: z.boolean({ error: 'must be true or false' }),
    mtu: Mtu.optional(),
    ipv6: Ipv6Settings.optional(),
    /**
     * Port forwards into this network's guests (nat networks only). Part of the network's intent,
     * so they persist with it and come back with it; left out means none (records written before
     * forwards existed).
     */
    forwards: z.array(NetworkForward).max(MAX_FORWARDS, { error: `at most ${MAX_FORWARDS} forwards per network` }).optional(),
    /** fixed DHCP addresses (libvirt's <dhcp><host>); left out means none */
    reservations: NetworkSpecReservations.optional(),
    /** routed only: the subnet is a slice of the uplink's LAN, and the host answers ARP for it there */
    proxyArp: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine((spec, ctx) => {
    const wrong = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (spec.kind === 'isolated') {
      for (const field of ['ipv4', 'dhcp', 'ipv6', 'domain'] as const) {
        if (spec[field] != null) wrong(field, `an isolated network has no host address, so it has no ${field}; remove it`);
      }
    } else if (spec.ipv4 === null) {
      wrong('ipv4', `a ${spec.kind} network needs ipv4 (subnet and gateway)`);
    }
    if (spec.kind === 'routed' && spec.uplink === undefined) wrong('uplink', 'a routed network needs an uplink');
    if (spec.proxyArp && spec.kind !== 'routed') wrong('proxyArp', `proxy ARP is for routed networks; a ${spec.kind} network has none`);
    if (spec.proxyArp && spec.backend === 'libvirt') wrong('backend', 'a proxy-ARP network runs on the direct backend only');
    if ((spec.kind === 'hostonly' || spec.kind === 'isolated') && spec.uplink !== undefined) {
      wrong('uplink', `a ${spec.kind} network forwards nothing, so it has no uplink; remove it`);
    }
    checkIntent(spec, wrong);
  });
export type NetworkSpec = z.infer<typeof NetworkSpec>;

/**
 * The structural limits of forwards and reservations, held by the schema itself so that a spec
 * crossing into the helper cannot DNAT to an address outside the network or reserve one that DHCP
 * never serves. validatePortForward and validateReservation give the user the full checks.
 */
function checkIntent(
  spec: { kind: NetworkKind; ipv4: Ipv4Settings | null; dhcp: DhcpRange | null; forwards?: NetworkForward[] | undefined; reservations?: NetworkReservation[] | undefined },
  wrong: (path: string, message: string) => void,
): void {
  const subnet = spec.ipv4 ? parseExactCidr(spec.ipv4.subnet, 'ipv4') : undefined;
  const inside = (ip: string) => {
    const address = parseAddress(ip, 'ipv4');
    return subnet !== undefined && address !== undefined && contains(subnet, address);
  };
  if (spec.forwards?.length) {
    if (spec.kind !== 'nat') wrong('forwards', `port forwards are for nat networks; a ${spec.kind} network has none`);
    for (const f of spec.forwards) if (!inside(f.to.ip)) wrong('forwards', `forward target ${f.to.ip} is outside the network's subnet`);
  }
  if (spec.reservations?.length) {
    if (!spec.dhcp) wrong('reservations', 'a network without DHCP has no reservations');
    for (const r of spec.reservations) if (!inside(r.ip)) wrong('reservations', `reserved address ${r.ip} is outside the network's subnet`);
  }
}

/**
 * What a user gives: only the name is required. A left-out field gets its default; `null` for
 * ipv4 or dhcp means "none" rather than "default". `ipv6: {}` turns IPv6 on with defaults.
 */
export const NetworkDraft = z.strictObject({
  name: NetworkName,
  kind: NetworkKind.optional(),
  backend: NetworkBackend.optional(),
  bridge: InterfaceName.optional(),
  uplink: InterfaceName.optional(),
  ipv4: z.strictObject({ subnet: Ipv4Subnet.optional(), gateway: Ipv4Address.optional() }).nullable().optional(),
  dhcp: DhcpRange.nullable().optional(),
  domain: DnsDomain.optional(),
  autostart: z.boolean({ error: 'must be true or false' }).optional(),
  mtu: Mtu.optional(),
  ipv6: z
    .strictObject({ subnet: Ipv6Subnet.optional(), gateway: Ipv6Address.optional(), dhcp: Dhcp6Range.nullable().optional() })
    .optional(),
  /** a complete network re-validated as a draft keeps its intent; a new one starts without */
  forwards: z.array(NetworkForward).max(MAX_FORWARDS).optional(),
  reservations: z.array(NetworkReservation).max(MAX_RESERVATIONS).optional(),
  proxyArp: z.boolean({ error: 'must be true or false' }).optional(),
});
export type NetworkDraft = z.infer<typeof NetworkDraft>;
