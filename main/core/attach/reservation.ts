import { z } from 'zod';
import { addressAt, cidrText, contains, lastAddress, parseAddress, parseExactCidr, sameAddress, shiftAddress, compareAddresses, type Cidr, type IpAddr } from '../network/cidr';
import type { FieldIssue } from '../network/field-issue';
import { Ipv4Address } from '../network/address-schemas';
import type { DhcpRange } from '../network/network-spec';
import { GuestMac, normalizeMac, type LeaseMac } from './mac';
import { LibvirtNetworkRef } from './nic-source';
import { schemaIssue } from './schema-issue';

/**
 * A DHCP reservation: the guest with this MAC always gets this address (and, with a name, that
 * host name in the network's DNS). libvirt's `<dhcp><host mac ip name/>`, dnsmasq's dhcp-host.
 * Forwards need one: a guest whose address changes takes its forwards' target with it.
 */

/** RFC 1123 host name label; one label, as dnsmasq wants a domain part to match the network's own */
const HOST_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const ReservationHostName = z
  .string({ error: 'must be a host name written as text, e.g. web' })
  .regex(HOST_LABEL, {
    error: (i) => `"${String(i.input)}" is not a host name; use up to 63 letters, digits and inner "-" (no dots, no "_"), e.g. web-1`,
  });

export const Reservation = z.strictObject({
  network: LibvirtNetworkRef,
  mac: GuestMac,
  ip: Ipv4Address,
  name: ReservationHostName.optional(),
});
export type Reservation = z.infer<typeof Reservation>;

/** a reservation as its network's spec keeps it */
export const NetworkReservation = Reservation.omit({ network: true });
export type NetworkReservation = z.infer<typeof NetworkReservation>;

export type ReservationField = 'network' | 'mac' | 'ip' | 'name';

export const RESERVATION_FLAGS: Readonly<Record<ReservationField, string>> = {
  network: '--network',
  mac: '--mac',
  ip: '--ip',
  name: '--name',
};

/** how the app's form names the fields, in the same messages */
export const RESERVATION_FORM_LABELS: Readonly<Partial<Record<ReservationField, string>>> = {
  mac: 'MAC',
  ip: 'Address',
  name: 'Host name',
};

/** The network a reservation belongs to, as far as the checks need it: a NetworkSpec fits. */
export interface ReservationNetwork {
  readonly name: string;
  readonly ipv4: { readonly subnet: string; readonly gateway: string } | null;
  /** the dynamic range; null when the network serves no DHCP */
  readonly dhcp: DhcpRange | null;
}

export interface ReservationContext {
  readonly network: ReservationNetwork;
  /** the network's reservations now; leave out the one being edited */
  readonly existing: readonly Reservation[];
  /** the network's current leases, so an address a running guest holds is not promised to another */
  readonly leases?: readonly LeaseMac[];
}

/** Every problem with a reservation, each naming its field and the fix; empty when it can be made. */
export function validateReservation(
  input: unknown,
  context: ReservationContext,
  labels: Partial<Record<ReservationField, string>> = {},
): FieldIssue[] {
  const name = { ...RESERVATION_FLAGS, ...labels };
  const parsed = Reservation.safeParse(input, { reportInput: true });
  if (!parsed.success) return parsed.error.issues.map((issue) => schemaIssue(issue, name, 'reservation', '{network, mac, ip, name?}'));

  const reservation = parsed.data;
  const issues: FieldIssue[] = [];
  const add = (field: ReservationField, message: string) => issues.push({ field, message: `${name[field]} ${message}` });
  const network = context.network;
  if (reservation.network !== network.name) {
    add('network', `${reservation.network} does not match the network checked against (${network.name}); this is a bug in the caller`);
    return issues;
  }
  const subnet = network.ipv4 && parseExactCidr(network.ipv4.subnet, 'ipv4');
  if (!network.ipv4 || !subnet || !network.dhcp) {
    add('network', `${network.name} serves no DHCP${network.ipv4 ? '' : ' (it has no IPv4 subnet)'}, so a reservation would never be handed out; turn DHCP on for ${network.name}, or set the address inside the guest`);
    return issues;
  }

  const gateway = parseAddress(network.ipv4.gateway, 'ipv4');
  const ip = parseAddress(reservation.ip, 'ipv4') as IpAddr;
  const others = context.existing.filter((r) => r.network === network.name);
  const leases = context.leases ?? [];
  const dhcp = network.dhcp;
  const free = () => {
    const suggestion = freeAddress(subnet, dhcp, gateway, others, leases);
    return suggestion ? `pick another, e.g. ${suggestion.toString()}` : `pick another address in ${cidrText(subnet)}`;
  };

  if (!contains(subnet, ip)) {
    add('ip', `${reservation.ip} is outside network ${network.name} (${cidrText(subnet)}); ${free()}`);
  } else if (sameAddress(ip, subnet.network) || sameAddress(ip, lastAddress(subnet))) {
    const what = sameAddress(ip, subnet.network) ? 'network' : 'broadcast';
    add('ip', `${reservation.ip} is the ${what} address of ${cidrText(subnet)}, which DHCP cannot hand out; ${free()}`);
  } else if (gateway && sameAddress(ip, gateway)) {
    add('ip', `${reservation.ip} is the gateway of network ${network.name}, the host's own address; ${free()}`);
  } else {
    const holder = others.find((r) => r.ip === ip.toString() && r.mac !== reservation.mac);
    const lease = leases.find((l) => l.ip === ip.toString() && normalizeMac(l.mac) !== reservation.mac);
    if (holder) {
      add('ip', `${reservation.ip} is already reserved for ${holder.mac}${holder.name ? ` (${holder.name})` : ''}; ${free()}`);
    } else if (lease) {
      add('ip', `${reservation.ip} is leased to ${lease.mac} now, and two guests would claim it until that lease ends; ${free()}`);
    }
  }

  const sameMac = others.find((r) => r.mac === reservation.mac);
  if (sameMac) {
    add('mac', `${reservation.mac} already has a reservation on ${network.name} (${sameMac.ip}); change or remove that one instead of adding a second`);
  }
  const sameName = reservation.name === undefined ? undefined : others.find((r) => r.name?.toLowerCase() === reservation.name?.toLowerCase());
  if (sameName) {
    add('name', `${reservation.name} already names ${sameName.mac} (${sameName.ip}) on ${network.name}, and DNS names are not case-sensitive; pick another name`);
  }
  return issues;
}

/**
 * The first address a reservation could take: below the dynamic range first (virt-manager leaves
 * the lower half of a subnet for fixed addresses), then above it, then inside it.
 */
function freeAddress(subnet: Cidr, dhcp: DhcpRange, gateway: IpAddr | undefined, others: readonly Reservation[], leases: readonly LeaseMac[]): IpAddr | undefined {
  const taken = new Set([...others.map((r) => r.ip), ...leases.flatMap((l) => (l.ip ? [l.ip] : []))]);
  if (gateway) taken.add(gateway.toString());
  const first = addressAt(subnet, 1n);
  const last = addressAt(subnet, -2n);
  const start = parseAddress(dhcp.start, 'ipv4');
  const end = parseAddress(dhcp.end, 'ipv4');
  const segments: [IpAddr, IpAddr][] = start && end
    ? [[first, shiftAddress(start, -1n)], [shiftAddress(end, 1n), last], [start, end]]
    : [[first, last]];
  for (const [from, to] of segments) {
    // at most taken.size addresses of a segment are taken, so the search ends quickly even in a /8
    let a = from;
    for (let step = 0; step <= taken.size && compareAddresses(a, to) <= 0; step++, a = shiftAddress(a, 1n)) {
      if (!taken.has(a.toString())) return a;
    }
  }
  return undefined;
}
