import { IFNAME_MAX_BYTES } from '../names';
import { linkOwner, type NetworkContext } from './network-context';

/**
 * Bridge names KVMNet picks: "kv-" + the network name, cut to the kernel's 15 bytes, with "-2",
 * "-3" … on a clash. The prefix tells the bridge apart from libvirt's virbrN and Docker's br-…
 * in `ip link`, and keeps a name like "eth0" from ever reaching the kernel as a bridge.
 */
export const BRIDGE_PREFIX = 'kv-';

/** Interface names a new bridge for `network` must not take: host links it does not own, and other networks' bridges. */
export function takenInterfaceNames(context: NetworkContext, network: string): Set<string> {
  const taken = new Set<string>();
  for (const link of context.snapshot.links) {
    if (linkOwner(link, context.snapshot) !== network) taken.add(link.name);
  }
  for (const other of context.existing) {
    if (other.name !== network && other.bridge) taken.add(other.bridge);
  }
  return taken;
}

/** Deterministic: the same name and taken set always give the same bridge name. */
export function deriveBridgeName(network: string, taken: ReadonlySet<string>): string {
  // NetworkName is ASCII, so characters are bytes here
  const room = IFNAME_MAX_BYTES - BRIDGE_PREFIX.length;
  const plain = BRIDGE_PREFIX + network.slice(0, room);
  if (!taken.has(plain)) return plain;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const stem = network.slice(0, room - suffix.length).replace(/[-_.]+$/, '');
    const candidate = BRIDGE_PREFIX + stem + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
