import type { Link, LinkKind } from '../host-snapshot';

/** What KVMNet offers instead when a link cannot carry a LAN bridge. */
export type UplinkAlternative = 'nat' | 'routed-proxy-arp' | 'existing-bridge';

/**
 * Why a link cannot be bridged. A picker offers a Wi-Fi link (to say why not and what works
 * instead) but never the others: they are not connections to the LAN of their own.
 */
export type UplinkRefusal = 'wifi' | 'kvmnet' | 'bridge' | 'port' | 'no-lan';

export type UplinkEligibility =
  | { readonly eligible: true }
  | { readonly eligible: false; readonly why: UplinkRefusal; readonly reason: string; readonly alternatives: readonly UplinkAlternative[] };

/**
 * The KVMNet network of each link KVMNet owns, by name: links with the alias `kvmnet:<network>`
 * (Link.owner) and the bridges its bridges to the LAN made (their records: NetworkManager's
 * bridges carry no alias).
 */
export type LinkOwners = ReadonlyMap<string, string>;

export function linkOwners(links: readonly Link[], bridged: readonly { readonly name: string; readonly bridge: string }[]): LinkOwners {
  return new Map([
    ...links.flatMap((l) => (l.owner === undefined ? [] : [[l.name, l.owner] as const])),
    ...bridged.map((r) => [r.bridge, r.name] as const),
  ]);
}

const NOT_A_LAN_UPLINK: Partial<Record<LinkKind, string>> = {
  loopback: 'is the loopback interface, not a LAN connection',
  tap: 'is a tap (the host end of a virtual NIC), not a LAN connection',
  tun: 'is a layer-3 tunnel: it carries no Ethernet frames',
  wireguard: 'is a WireGuard tunnel: it carries IP packets, not Ethernet frames',
  macvlan: 'is a macvlan: bridge its parent link instead',
  macvtap: 'is a macvtap: bridge its parent link instead',
};

const PICK_THE_NIC = 'pick the wired NIC that connects this host to the LAN instead (kvmnet status lists them)';

/**
 * Whether a link can become the port of a bridge to the LAN. The refusal that matters most is Wi-Fi:
 * an 802.11 station may only send frames from the MAC address it associated with (the access point
 * drops everything else, and 4-address mode is rarely available), so guests behind a bridge would
 * never get an answer. Routing with proxy ARP or NAT reaches the LAN without extra MACs. A link of
 * KVMNet's own, a bridge or a port of one already has its place: bridging it again would take it
 * from that place (or put a bridge inside a bridge). Every reason starts with "uplink:" and says
 * what to do instead.
 */
export function uplinkEligibility(link: Link, owners: LinkOwners = new Map()): UplinkEligibility {
  const refuse = (why: UplinkRefusal, reason: string, alternatives: readonly UplinkAlternative[]): UplinkEligibility =>
    ({ eligible: false, why, reason: `uplink: ${reason}`, alternatives });
  if (link.kind === 'wireless') {
    return refuse('wifi',
      `${link.name} is a Wi-Fi link: an 802.11 station can only send frames from its own MAC address, ` +
      'so guests bridged onto it would get no traffic. Use NAT, or a routed network with proxy ARP to give guests addresses on the LAN.',
      ['nat', 'routed-proxy-arp']);
  }
  const owner = owners.get(link.name) ?? link.owner;
  if (owner !== undefined) {
    return link.kind === 'bridge'
      ? refuse('kvmnet', `${link.name} is the bridge of KVMNet network ${owner}: attach guests to it directly, or ${PICK_THE_NIC}`, ['existing-bridge'])
      : refuse('kvmnet', `${link.name} belongs to KVMNet network ${owner}, not to the LAN: ${PICK_THE_NIC}`, ['nat']);
  }
  if (link.kind === 'bridge') {
    return refuse('bridge', `${link.name} is already a bridge: attach guests to it directly, or ${PICK_THE_NIC}`, ['existing-bridge']);
  }
  if (link.master !== undefined) {
    const masterOwner = owners.get(link.master);
    const master = masterOwner === undefined ? link.master : `${link.master} (the bridge of KVMNet network ${masterOwner})`;
    return refuse('port', `${link.name} is already a port of ${master}: attach guests to ${link.master}, or bridge ${link.master} instead`, ['existing-bridge']);
  }
  const notUplink = NOT_A_LAN_UPLINK[link.kind];
  if (notUplink) return refuse('no-lan', `${link.name} ${notUplink}`, ['nat']);
  return { eligible: true };
}
