import type { HostSnapshot } from '../host-snapshot';
import type { NetworkRecord } from '../network/network-record';
import { checkGuestMac, generateMac, usedMacs, type LeaseMac, type MacCheck, type TapMac, type UsedMacs } from './mac';
import { guestMacOfTap } from './tap-mac';

/** the guest MACs KVMNet's taps serve: from the records, and from the taps themselves (see tap-mac.ts) */
function guestTaps(snapshot: HostSnapshot, records: readonly NetworkRecord[]): TapMac[] {
  const fromLinks = snapshot.links.flatMap((l) => {
    const mac = l.kind === 'tap' && l.owner !== undefined && l.mac !== undefined ? guestMacOfTap(l.mac) : undefined;
    return mac === undefined ? [] : [{ name: l.name, mac }];
  });
  return [...records.flatMap((r) => r.taps ?? []), ...fromLinks];
}

/** Every MAC a new guest NIC must not take: libvirt domains' NICs, host links, DHCP leases and KVMNet's taps. */
export const takenMacs = (snapshot: HostSnapshot, leases: readonly LeaseMac[], records: readonly NetworkRecord[]): UsedMacs =>
  usedMacs(snapshot, leases, guestTaps(snapshot, records));

/** The MAC the user gave, checked, or a fresh one when they gave none; `label` names the field in messages (the CLI's flag by default). */
export const chooseGuestMac = (requested: string | undefined, used: UsedMacs, random: () => number = Math.random, label?: string): MacCheck =>
  requested === undefined ? { ok: true, mac: generateMac(used, random) } : checkGuestMac(requested, used, label);
