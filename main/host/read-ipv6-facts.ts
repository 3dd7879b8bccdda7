import { readSmallFile } from './read-small-file';
import type { Ipv6Facts } from '../core/plan/plan-context';

const readTrimmed = (path: string): string | undefined => readSmallFile(path)?.trim();

/**
 * net.ipv6.conf.all.forwarding and each interface's accept_ra, from /proc/sys (readable by any
 * user); undefined when the kernel has no IPv6 (booted with ipv6.disable=1: no /proc/sys/net/ipv6).
 */
export async function readIpv6Facts(interfaces: readonly string[]): Promise<Ipv6Facts | undefined> {
  const forwarding = readTrimmed('/proc/sys/net/ipv6/conf/all/forwarding');
  if (forwarding === undefined) return undefined;
  if (forwarding !== '0' && forwarding !== '1') throw new Error(`net.ipv6.conf.all.forwarding reads "${forwarding}", expected 0 or 1`);
  const acceptRa: Record<string, string> = {};
  for (const name of interfaces) {
    // names come from the kernel's own list; one with a slash could not be a file name here
    if (name.includes('/')) continue;
    const value = readTrimmed(`/proc/sys/net/ipv6/conf/${name}/accept_ra`);
    if (value !== undefined) acceptRa[name] = value;
  }
  return { forwarding, acceptRa };
}
