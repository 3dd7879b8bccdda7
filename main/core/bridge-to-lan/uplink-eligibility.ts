import type { Link, LinkKind } from '../host-snapshot';

/** What KVMNet offers instead when a link cannot carry a LAN bridge. */
export type UplinkAlternative = 'nat' | 'routed-proxy-arp' | 'existing-bridge';

export type UplinkEligibility =
  | { readonly eligible: true }
  | { readonly eligible: false; readonly reason: string; readonly alternatives: readonly UplinkAlternative[] };

const NOT_A_LAN_UPLINK: Partial<Record<LinkKind, string>> = {
  loopback: 'is the loopback interface, not a LAN connection',
  tap: 'is a tap (the host end of a virtual NIC), not a LAN connection',
  tun: 'is a layer-3 tunnel: it carries no Ethernet frames',
  wireguard: 'is a WireGuard tunnel: it carries IP packets, not Ethernet frames',
  macvlan: 'is a macvlan: bridge its parent link instead',
  macvtap: 'is a macvtap: bridge its parent link instead',
};

/**
 * Whether a link can become the port of a bridge to the LAN. The refusal that matters most is Wi-Fi:
 * an 802.11 station may only send frames from the MAC address it associated with (the access point
 * drops everything else, and 4-address mode is rarely available), so guests behind a bridge would
 * never get an answer. Routing with proxy ARP or NAT reaches the LAN without extra MACs.
 */
export function uplinkEligibility(link: Link): UplinkEligibility {
  if (link.kind === 'wireless') {
    return {
      eligible: false,
      reason:
        `${link.name} is a Wi-Fi link: an 802.11 station can only send frames from its own MAC address, ` +
        'so guests bridged onto it would get no traffic. Use NAT, or a routed network with proxy ARP to give guests addresses on the LAN.',
      alternatives: ['nat', 'routed-proxy-arp'],
    };
  }
  if (link.kind === 'bridge') {
    return { eligible: false, reason: `${link.name} is already a bridge: attach guests to it directly`, alternatives: ['existing-bridge'] };
  }
  if (link.master !== undefined) {
    return {
      eligible: false,
      reason: `${link.name} is already a port of ${link.master}: attach guests to ${link.master}, or bridge ${link.master} instead`,
      alternatives: ['existing-bridge'],
    };
  }
  const notUplink = NOT_A_LAN_UPLINK[link.kind];
  if (notUplink) return { eligible: false, reason: `${link.name} ${notUplink}`, alternatives: ['nat'] };
  return { eligible: true };
}
