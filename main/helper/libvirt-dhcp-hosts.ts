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

export async function liveDhcpHostPresent(io: HostIo, network: string, host: NetworkReservation): Promise<boolean> {
  const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, 'net-dumpxml', network]);
  if (r.exitCode !== 0) throw new Error(`could not read libvirt network ${network}: ${r.stderr.trim()}`);
  return (parseLibvirtNetworkXml(r.stdout).reservations ?? []).some((h) => h.mac === host.mac);
}

export async function setLiveDhcpHost(io: HostIo, network: string, host: NetworkReservation, present: boolean): Promise<void> {
  const r = await io.runTool('virsh', ['-c', LIBVIRT_URI, 'net-update', network, present ? 'add-last' : 'delete', 'ip-dhcp-host', renderDhcpHostXml(host), '--live']);
  if (r.exitCode !== 0) throw new Error(`libvirt refused to ${present ? 'add' : 'remove'} the reservation of ${host.mac}: ${r.stderr.replace(/^error:\s*/gm, '').trim()}`);
}
