import { MAC_PATTERN, QEMU_MAC_PREFIX, type MacAddress } from './mac';

/**
 * The host side of a guest's tap gets the guest's MAC with first octet fe, as libvirt gives its
 * vnetN taps: the bridge never takes such a MAC as its own (it prefers the lowest), and the tap
 * itself tells which guest MAC it serves, with no record needed (taps on libvirt networks have
 * none). The first octet is lost, so a tap is read back as serving the 52:54:00 MAC KVMNet
 * generates; a MAC the user chose with another first octet is still found in the network's record
 * or, once the guest runs, in the leases.
 */
export const tapMacFor = (guest: MacAddress): MacAddress => `fe${guest.slice(2)}`;

export const guestMacOfTap = (tap: string): MacAddress | undefined =>
  tap.startsWith('fe:') && MAC_PATTERN.test(tap) ? `${QEMU_MAC_PREFIX.slice(0, 2)}${tap.slice(2)}` : undefined;
