import { z } from 'zod';

/**
 * A NetworkManager connection profile as KVMNet reads it (`nmcli -t connection show`): the settings
 * a bridge must carry over from the uplink. Values stay in nmcli's own spelling, which nmcli takes
 * back unchanged, so the bridge profile gets exactly what the uplink had.
 */
const NmIpSettingsBase = z.object({
  /** auto, manual, link-local, shared, disabled; IPv6 also ignore and dhcp */
  method: z.string().min(1),
  /** static addresses as CIDRs (also allowed next to DHCP) */
  addresses: z.array(z.string()),
  gateway: z.string().optional(),
  dns: z.array(z.string()),
  dnsSearch: z.array(z.string()),
  /** each as nmcli writes it: "dst [next-hop] [metric] [attribute=value …]" */
  routes: z.array(z.string()),
  /** -1 is NetworkManager's default */
  routeMetric: z.number().int(),
  neverDefault: z.boolean(),
  ignoreAutoDns: z.boolean(),
  ignoreAutoRoutes: z.boolean(),
  mayFail: z.boolean(),
});

export const NmIpv4Settings = NmIpSettingsBase.extend({
  /** what the DHCP server keys its lease on besides the MAC; unset means NM's default (the MAC) */
  dhcpClientId: z.string().optional(),
  dhcpHostname: z.string().optional(),
});
export type NmIpv4Settings = z.infer<typeof NmIpv4Settings>;

export const NmIpv6Settings = NmIpSettingsBase.extend({
  /** eui64 derives SLAAC addresses from the MAC, so a cloned MAC keeps them; stable-privacy does not */
  addrGenMode: z.string().optional(),
});
export type NmIpv6Settings = z.infer<typeof NmIpv6Settings>;

export const NmProfile = z.object({
  uuid: z.string().min(1),
  id: z.string(),
  /** connection.type: 802-3-ethernet, 802-11-wireless, bridge … */
  type: z.string().min(1),
  interfaceName: z.string().optional(),
  autoconnect: z.boolean(),
  autoconnectPriority: z.number().int(),
  /** set when the profile is already a port of a bridge, bond or team (uuid or interface name) */
  controller: z.string().optional(),
  ethernet: z.object({
    /** the NIC the profile is bound to */
    macAddress: z.string().optional(),
    /** the MAC the profile puts on the NIC instead of its own (an address, preserve, permanent, random, stable) */
    clonedMacAddress: z.string().optional(),
    mtu: z.number().int().positive().optional(),
  }),
  ipv4: NmIpv4Settings,
  ipv6: NmIpv6Settings,
});
export type NmProfile = z.infer<typeof NmProfile>;

export const NmRoute = z.object({ dst: z.string(), nextHop: z.string(), metric: z.number().int() });
export type NmRoute = z.infer<typeof NmRoute>;

/** What NetworkManager applied to the device at runtime (the IP4.* / IP6.* lines): DHCP results included. */
export const NmActiveIp = z.object({
  addresses: z.array(z.string()),
  gateway: z.string().optional(),
  dns: z.array(z.string()),
  routes: z.array(NmRoute),
});
export type NmActiveIp = z.infer<typeof NmActiveIp>;

/** A device with the profile active on it: what the bridge wizard starts from. */
export const NmUplink = z.object({
  device: z.string().min(1),
  /** the MAC the device uses now (GENERAL.HWADDR), cloned or not: the one the LAN's DHCP server knows */
  mac: z.string().min(1),
  profile: NmProfile,
  active: z.object({ ipv4: NmActiveIp, ipv6: NmActiveIp }),
});
export type NmUplink = z.infer<typeof NmUplink>;
