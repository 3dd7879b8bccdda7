import { z } from 'zod';
import { NetworkReservation } from '../attach/reservation';
import { addressDistance, netmaskOf, parseAddress, parseExactCidr } from '../network/cidr';
import { NetworkSpec, type DhcpRange } from '../network/network-spec';
import { dnsmasqHostsPath, dnsmasqPidPath, leasesPath } from '../paths';

/**
 * The dnsmasq configuration of a direct network: DHCP and DNS on its bridge only, modelled on the
 * file libvirt writes for its own networks (the reference for what guests expect).
 *
 * - bind-dynamic + interface=<bridge>: dnsmasq listens on the bridge's addresses only, follows
 *   them when the bridge goes down and up or an address comes later, and ignores queries arriving
 *   on any other interface (libvirt's fix for CVE-2012-3411). bind-interfaces would bind once at
 *   start and fail if the address were not there yet; listen-address is not needed, interface=
 *   already covers the gateway, IPv6 included.
 * - except-interface=lo: dnsmasq would otherwise also answer on loopback, where the host's own
 *   resolver lives.
 * - strict-order and the host's resolv.conf for upstream DNS, as libvirt does; a hostonly network
 *   reaches nothing beyond the host, so it gets no upstream (no-resolv), no default route
 *   (dhcp-option=3 empty) and router advertisements with lifetime 0.
 * - dhcp-no-override and dhcp-authoritative: guests renew quickly after a host restart instead of
 *   waiting for their old lease to time out; this dnsmasq is the only DHCP server on the bridge.
 * - reservations live in a dhcp-hostsfile of their own, which dnsmasq rereads on SIGHUP: adding
 *   or removing one keeps the daemon, its leases in memory and its DNS cache (a restart would
 *   also briefly leave guests without DHCP and DNS).
 * - the configuration is the only file dnsmasq reads: it is started with --conf-file=<this file>,
 *   which replaces /etc/dnsmasq.conf.
 */

/** dnsmasq's and libvirt's default, written out so a guest's renewal time is plain to see */
export const LEASE_TIME = '1h';

const prefixOf = (subnet: string): number => {
  const cidr = parseExactCidr(subnet);
  if (!cidr) throw new Error(`subnet ${subnet} passed the schema but did not parse`);
  return cidr.prefix;
};

const rangeSize = (range: DhcpRange): bigint => addressDistance(parseAddress(range.start)!, parseAddress(range.end)!) + 1n;

export function renderDnsmasqConf(input: NetworkSpec): string {
  const spec = NetworkSpec.parse(input);
  if (spec.ipv4 === null) throw new Error(`network ${spec.name} is isolated: with no host address there is nothing for dnsmasq to serve`);
  const hostOnly = spec.kind === 'hostonly';
  const lines = [
    `# dnsmasq for the KVMNet network ${spec.name}, written by KVMNet at every start: edits are lost.`,
    'strict-order',
    `pid-file=${dnsmasqPidPath(spec.name)}`,
    'except-interface=lo',
    'bind-dynamic',
    `interface=${spec.bridge}`,
    `dhcp-leasefile=${leasesPath(spec.name)}`,
  ];
  if (hostOnly) lines.push('no-resolv', 'dhcp-option=3');
  if (spec.domain !== undefined) lines.push(`local=/${spec.domain}/`, `domain=${spec.domain}`, 'expand-hosts');

  let leases = 0n;
  if (spec.dhcp) {
    lines.push(`dhcp-range=${spec.dhcp.start},${spec.dhcp.end},${netmaskOf(prefixOf(spec.ipv4.subnet))},${LEASE_TIME}`);
    lines.push(`dhcp-hostsfile=${dnsmasqHostsPath(spec.name)}`);
    leases += rangeSize(spec.dhcp);
  }
  if (spec.ipv6) {
    const prefix = prefixOf(spec.ipv6.subnet);
    if (spec.ipv6.dhcp) {
      lines.push(`dhcp-range=${spec.ipv6.dhcp.start},${spec.ipv6.dhcp.end},${prefix},${LEASE_TIME}`);
      leases += rangeSize(spec.ipv6.dhcp);
    } else {
      lines.push(`dhcp-range=${spec.ipv6.gateway},ra-only`);
    }
    lines.push('enable-ra');
    if (hostOnly) lines.push('ra-param=*,0,0');
  }
  if (leases > 0n) lines.push(`dhcp-lease-max=${leases}`, 'dhcp-no-override', 'dhcp-authoritative');
  return `${lines.join('\n')}\n`;
}

/** the dhcp-hostsfile of a network, from its spec */
export const renderDhcpHostsFile = (input: NetworkSpec): string => renderDhcpHostLines(NetworkSpec.parse(input).reservations ?? []);

/**
 * A dhcp-hostsfile: "MAC,IP[,NAME]" a line, as dnsmasq's dhcp-host takes it. Fields are checked by
 * the reservation's schema (a MAC, an IPv4 address, a one-label host name), so no line can carry
 * another option.
 */
export function renderDhcpHostLines(input: readonly NetworkReservation[]): string {
  const lines = z.array(NetworkReservation).parse(input).map((r) => [r.mac, r.ip, ...(r.name === undefined ? [] : [r.name])].join(','));
  return `${lines.map((l) => `${l}\n`).join('')}`;
}
