import { KvmnetError } from '../kvmnet-error';
import { InterfaceName } from '../names';
import { Uuid } from './bridged-record';
import type { NmIpv4Settings, NmIpv6Settings, NmUplink } from './nm-profile';

/** One nmcli run: the arguments after `nmcli`, and what it is for (shown to the user, written to the journal). */
export interface NmcliOperation {
  readonly args: readonly string[];
  readonly purpose: string;
}

/** A profile as `nmcli connection add` takes it: type, name, interface, UUID and setting/value pairs. */
export interface NmProfileToAdd {
  readonly type: 'bridge' | 'ethernet';
  readonly id: string;
  readonly ifname: string;
  readonly uuid: string;
  readonly settings: readonly (readonly [string, string])[];
}

const addArgs = (p: NmProfileToAdd): string[] =>
  ['connection', 'add', 'type', p.type, 'con-name', p.id, 'ifname', p.ifname, 'connection.uuid', p.uuid, ...p.settings.flat()];

/** setting/value pairs from a flat list of words */
const pairs = (words: readonly string[]): [string, string][] =>
  Array.from({ length: words.length / 2 }, (_, i) => [words[2 * i]!, words[2 * i + 1]!]);

export interface NmBridgePlan {
  readonly bridge: { readonly uuid: string; readonly id: string; readonly name: string; readonly mac: string };
  /** the two profiles to add, bridge first */
  readonly profiles: readonly [NmProfileToAdd, NmProfileToAdd];
  readonly port: { readonly uuid: string; readonly id: string; readonly device: string };
  /** the uplink's own profile: NM takes it down when the port claims the NIC; undo brings it back */
  readonly replaces: { readonly uuid: string; readonly id: string };
  readonly apply: readonly NmcliOperation[];
  readonly undo: readonly NmcliOperation[];
}

export interface NmBridgeRequest {
  readonly uplink: NmUplink;
  readonly bridgeName: string;
  /** chosen by the caller so that the plan is a pure function and every later step can name the profiles exactly */
  readonly bridgeUuid: string;
  readonly portUuid: string;
}

/** NetworkManager refuses autoconnect priorities above this */
const MAX_AUTOCONNECT_PRIORITY = 999;

/**
 * The nmcli runs that move a NIC's addressing onto a new bridge, as nmstate or `netplan try` would:
 * a bridge profile with the uplink profile's IPv4/IPv6 settings, and a port profile for the NIC.
 *
 * - The bridge takes the NIC's current MAC, so the LAN's DHCP server (keyed on MAC and client id)
 *   hands the bridge the very lease the NIC had, and static neighbours keep their ARP entries.
 * - STP off with no forward delay: a desktop bridge has one uplink, and 15 s of listening/learning
 *   would cut the host off long enough to trip the rollback.
 * - The uplink's own profile is left untouched: activating the port takes the NIC from it, and undo
 *   reactivates it. At boot the bridge brings its port up (autoconnect-slaves); the port outranks the
 *   old profile, so NM does not first start the old profile on the NIC only to take it away again.
 */
export function planNmBridge(request: NmBridgeRequest): NmBridgePlan {
  const { uplink } = request;
  const { profile } = uplink;
  const bridgeName = InterfaceName.safeParse(request.bridgeName);
  if (!bridgeName.success) throw new KvmnetError('BAD_REQUEST', `bridgeName: ${bridgeName.error.issues[0]?.message}`, 'bridgeName');
  if (bridgeName.data === uplink.device) {
    throw new KvmnetError('BAD_REQUEST', `bridgeName: ${uplink.device} is the uplink itself; pick another name such as br0`, 'bridgeName');
  }
  for (const field of ['bridgeUuid', 'portUuid'] as const) {
    if (!Uuid.safeParse(request[field]).success) throw new KvmnetError('BAD_REQUEST', `${field}: not a UUID; generate one with crypto.randomUUID()`, field);
  }
  if (request.bridgeUuid === request.portUuid) throw new KvmnetError('BAD_REQUEST', 'portUuid: must differ from bridgeUuid', 'portUuid');
  if (profile.type !== '802-3-ethernet') {
    throw new KvmnetError('BAD_REQUEST', `uplink: ${uplink.device} runs a ${profile.type} profile; only a wired Ethernet profile can become a bridge port`, 'uplink');
  }
  if (profile.controller !== undefined) {
    throw new KvmnetError('BAD_REQUEST', `uplink: ${uplink.device} is already a port of ${profile.controller}; attach guests there instead`, 'uplink');
  }

  const bridge = { uuid: request.bridgeUuid, id: `kvmnet-${bridgeName.data}`, name: bridgeName.data, mac: uplink.mac };
  const port = { uuid: request.portUuid, id: `kvmnet-${bridgeName.data}-port-${uplink.device}`, device: uplink.device };
  const mtu = profile.ethernet.mtu === undefined ? [] : ['802-3-ethernet.mtu', String(profile.ethernet.mtu)];

  const bridgeProfile: NmProfileToAdd = {
    type: 'bridge', id: bridge.id, ifname: bridge.name, uuid: bridge.uuid,
    settings: pairs([
      'connection.autoconnect', 'yes', 'connection.autoconnect-slaves', 'yes',
      'bridge.stp', 'no', 'bridge.forward-delay', '0', '802-3-ethernet.cloned-mac-address', bridge.mac, ...mtu,
      ...ipv4Args(profile.ipv4), ...ipv6Args(profile.ipv6),
    ]),
  };
  const portProfile: NmProfileToAdd = {
    type: 'ethernet', id: port.id, ifname: port.device, uuid: port.uuid,
    settings: pairs([
      'connection.master', bridge.uuid, 'connection.slave-type', 'bridge', 'connection.autoconnect', 'yes',
      'connection.autoconnect-priority', String(Math.min(profile.autoconnectPriority + 1, MAX_AUTOCONNECT_PRIORITY)), ...mtu,
    ]),
  };

  return {
    bridge,
    port,
    profiles: [bridgeProfile, portProfile],
    replaces: { uuid: profile.uuid, id: profile.id },
    apply: [
      { purpose: `create bridge ${bridge.name} with the addressing of "${profile.id}" and the MAC of ${uplink.device}`, args: addArgs(bridgeProfile) },
      { purpose: `make ${uplink.device} a port of ${bridge.name}`, args: addArgs(portProfile) },
      {
        purpose: `activate ${bridge.name}; ${uplink.device} leaves "${profile.id}" and joins it`,
        args: ['connection', 'up', 'uuid', bridge.uuid],
      },
    ],
    undo: [
      { purpose: `give ${uplink.device} back to "${profile.id}"`, args: ['connection', 'up', 'uuid', profile.uuid] },
      { purpose: `delete the port profile of ${uplink.device}`, args: ['connection', 'delete', 'uuid', port.uuid] },
      { purpose: `delete bridge ${bridge.name}`, args: ['connection', 'delete', 'uuid', bridge.uuid] },
    ],
  };
}

/** the settings every IP family shares; empty lists and defaults are left out so NM keeps its own defaults */
function ipArgs(family: 'ipv4' | 'ipv6', s: NmIpv4Settings | NmIpv6Settings): string[] {
  const args: string[] = [`${family}.method`, s.method];
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== '') args.push(`${family}.${key}`, value);
  };
  set('addresses', s.addresses.join(', '));
  set('gateway', s.gateway);
  set('dns', s.dns.join(','));
  set('dns-search', s.dnsSearch.join(','));
  set('routes', s.routes.join(', '));
  if (s.routeMetric !== -1) set('route-metric', String(s.routeMetric));
  if (s.neverDefault) set('never-default', 'yes');
  if (s.ignoreAutoDns) set('ignore-auto-dns', 'yes');
  if (s.ignoreAutoRoutes) set('ignore-auto-routes', 'yes');
  if (!s.mayFail) set('may-fail', 'no');
  return args;
}

const ipv4Args = (s: NmIpv4Settings): string[] => {
  const args = ipArgs('ipv4', s);
  if (s.dhcpClientId) args.push('ipv4.dhcp-client-id', s.dhcpClientId);
  if (s.dhcpHostname) args.push('ipv4.dhcp-hostname', s.dhcpHostname);
  return args;
};

const ipv6Args = (s: NmIpv6Settings): string[] => {
  const args = ipArgs('ipv6', s);
  if (s.addrGenMode) args.push('ipv6.addr-gen-mode', s.addrGenMode);
  return args;
};
