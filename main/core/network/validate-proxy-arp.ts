import { cidrText, type Cidr } from './cidr';
import type { NetworkContext } from './network-context';
import type { NetworkKind } from './network-spec';
import type { OccupiedRange } from './occupied-ranges';
import { defaultProxyArpSlice, outsideLan, proxyArpSliceProblems, uplinkLan } from './proxy-arp-slice';

/** What the rest of validateNetwork needs from the proxy-ARP checks. */
export interface ProxyArpCheck {
  /** the ranges the subnet must stay clear of: everything but the uplink's LAN, which holds the slice on purpose */
  readonly occupied: readonly OccupiedRange[];
  /** the slice to propose in fixes */
  suggestion(): string | undefined;
  /** the problems of a subnet the user gave */
  checkSlice(subnet: Cidr): void;
  /** no subnet given: a problem when no default slice is free */
  checkDefault(): void;
}

interface ProxyArpDraft {
  readonly backend?: string | undefined;
  readonly uplink?: string | undefined;
}

/**
 * The checks of `proxyArp: true` that do not depend on the subnet (the kind, the backend, an uplink
 * with a LAN to share), and, when the uplink has a LAN, the subnet checks for later. undefined when
 * there is no LAN to check the subnet against: its problem is already reported.
 */
export function checkProxyArp(
  draft: ProxyArpDraft,
  kind: NetworkKind | undefined,
  context: NetworkContext,
  occupied: readonly OccupiedRange[],
  add: (field: string, message: string) => void,
): ProxyArpCheck | undefined {
  if (kind !== undefined && kind !== 'routed') {
    add('proxyArp', `proxy ARP is only for routed networks: it shares the uplink's LAN subnet with the guests. Choose kind "routed", or leave proxyArp out (a ${kind} network)`);
    return undefined;
  }
  if (draft.backend === 'libvirt') {
    add('backend', 'backend "libvirt" cannot run a proxy-ARP network: libvirt would not set proxy_arp on the uplink nor restore it; choose backend "direct", or leave backend out');
  }
  const uplink = draft.uplink;
  if (uplink === undefined || !context.snapshot.links.some((l) => l.name === uplink)) return undefined;
  const lan = uplinkLan(uplink, context);
  if (!lan) {
    add('uplink', `uplink "${uplink}" has no IPv4 address, so there is no LAN subnet to share with the guests; connect ${uplink} to its LAN first, or use a nat network`);
    return undefined;
  }
  const others = outsideLan(occupied, lan.lan);
  let suggested: Cidr | undefined | null = null;
  const suggestion = () => (suggested === null ? (suggested = defaultProxyArpSlice(lan, occupied)) : suggested);
  return {
    occupied: others,
    suggestion: () => {
      const s = suggestion();
      return s && cidrText(s);
    },
    checkSlice(subnet) {
      for (const message of proxyArpSliceProblems(subnet, lan, uplink, suggestion())) add('ipv4.subnet', message);
    },
    checkDefault() {
      if (suggestion()) return;
      add('ipv4.subnet', `no free /28 is left in ${cidrText(lan.lan)}, the LAN of ${uplink} (every one holds an address in use, or the LAN is too small); set ipv4.subnet to a slice of the LAN outside its router's DHCP pool`);
    },
  };
}
