import { readSmallFile } from './read-small-file';
import type { Neighbour } from '../core/network/network-context';
import type { IpForwardValue } from '../core/plan/plan-context';

/**
 * The IPv4 neighbours the kernel knows, from /proc/net/arp (what `ip -4 neigh` shows, readable by
 * any user and without starting a process), so a proxy-ARP slice keeps clear of LAN hosts the
 * host has talked to. Incomplete entries (flags 0x0) are addresses nobody answered for: not in use.
 */
export async function readNeighbours(): Promise<Neighbour[]> {
  return parseProcNetArp(readSmallFile('/proc/net/arp') ?? '');
}

/** "IP address  HW type  Flags  HW address  Mask  Device" lines after a header */
export function parseProcNetArp(text: string): Neighbour[] {
  return text.split('\n').slice(1).flatMap((line) => {
    const [address, , flags, , , dev] = line.trim().split(/\s+/);
    return address && dev && flags !== '0x0' ? [{ dev, address }] : [];
  });
}

/** net.ipv4.conf.<interface>.proxy_arp of each interface (readable by any user); any non-zero value is on */
export async function readProxyArp(interfaces: readonly string[]): Promise<Record<string, IpForwardValue>> {
  const values: Record<string, IpForwardValue> = {};
  for (const name of interfaces) {
    // names come from the kernel's own list; one with a slash could not be a file name here
    if (name.includes('/')) continue;
    const value = readSmallFile(`/proc/sys/net/ipv4/conf/${name}/proxy_arp`)?.trim();
    if (value !== undefined) values[name] = value === '0' ? '0' : '1';
  }
  return values;
}
