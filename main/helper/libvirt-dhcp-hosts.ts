import type { NetworkReservation } from '../core/attach/reservation';
import type { NetworkSpec } from '../core/network/network-spec';
import { parseLibvirtNetworkXml, renderDhcpHostXml } from '../core/render/libvirt-network-xml';
import { LIBVIRT_URI } from '../host/read-libvirt';
import type { HostIo } from './host-io';

/**
 * Reservations of a running libvirt network, changed live with `virsh net-update … ip-dhcp-host`:
 * libvirt rewrites its dnsmasq's hosts file and signals it, so guests keep their leases. The
 * persistent definition is changed by libvirt.define with the whole spec, which is what a later
 * start uses; the live change is what makes it count now.
 */

export const sameReservations = (a: NetworkSpec | undefined, b: NetworkSpec): boolean =>
  JSON.stringify(a?.reservations ?? []) === JSON.stringify(b.reservations ?? []);

async function liveDhcpHosts(io: HostIo, network: string): Promise<NetworkReservation[]> {
  const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, 'net-dumpxml', network]);
  if (r.exitCode !== 0) throw new Error(`could not read libvirt network ${network}: ${r.stderr.trim()}`);
  return parseLibvirtNetworkXml(r.stdout).reservations ?? [];
}

/**
 * Whether the running network has exactly this reservation (MAC, address and name). libvirt's
 * net-update adds only when no entry shares the MAC, the address or the name, and deletes only an
 * entry that matches every attribute given, so an entry that shares one of them but differs in
 * another can be neither added beside nor removed as this one: it is a conflict, named by its field.
 */
export async function liveDhcpHostPresent(io: HostIo, network: string, host: NetworkReservation): Promise<boolean> {
  const hosts = await liveDhcpHosts(io, network);
  if (hosts.some((h) => sameReservation(h, host))) return true;
  const conflict = dhcpHostConflict(hosts, host);
  if (conflict) throw new Error(`libvirt network ${network} runs with ${conflict}; KVMNet changes only a reservation that is exactly its own (kvmnet unreserve, then reserve again)`);
  return false;
}

const sameName = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

const sameReservation = (a: NetworkReservation, b: NetworkReservation): boolean =>
  a.mac === b.mac && a.ip === b.ip && (a.name ?? '').toLowerCase() === (b.name ?? '').toLowerCase();

/** the running entry that shares this reservation's MAC, address or name, in words naming that field; undefined when none does */
function dhcpHostConflict(hosts: readonly NetworkReservation[], host: NetworkReservation): string | undefined {
  const describe = (h: NetworkReservation) => `${h.mac} ${h.ip}${h.name ? ` (${h.name})` : ''}`;
  const byMac = hosts.find((h) => h.mac === host.mac);
  if (byMac) return `another reservation for mac ${host.mac}: ${describe(byMac)}`;
  const byIp = hosts.find((h) => h.ip === host.ip);
  if (byIp) return `ip ${host.ip} reserved for another MAC: ${describe(byIp)}`;
  const byName = hosts.find((h) => sameName(h.name, host.name));
  if (byName) return `name ${host.name ?? ''} given to another MAC: ${describe(byName)}`;
  return undefined;
}

export async function setLiveDhcpHost(io: HostIo, network: string, host: NetworkReservation, present: boolean): Promise<void> {
  const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, 'net-update', network, present ? 'add-last' : 'delete', 'ip-dhcp-host', renderDhcpHostXml(host), '--live']);
  if (r.exitCode !== 0) throw new Error(`libvirt refused to ${present ? 'add' : 'remove'} the reservation of ${host.mac}: ${r.stderr.replace(/^error:\s*/gm, '').trim()}`);
}
