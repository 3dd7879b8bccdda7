import type { HostSnapshot } from '../host-snapshot';
import type { NetworkRecord } from '../network/network-record';
import { checkGuestMac, generateMac, usedMacs, type LeaseMac, type MacCheck, type UsedMacs } from './mac';

/** Every MAC a new guest NIC must not take: libvirt domains' NICs, host links, DHCP leases and KVMNet's recorded taps. */
export const takenMacs = (snapshot: HostSnapshot, leases: readonly LeaseMac[], records: readonly NetworkRecord[]): UsedMacs =>
  usedMacs(snapshot, leases, records.flatMap((r) => r.taps ?? []));

/** The MAC the user gave, checked, or a fresh one when they gave none. */
export const chooseGuestMac = (requested: string | undefined, used: UsedMacs, random: () => number = Math.random): MacCheck =>
  requested === undefined ? { ok: true, mac: generateMac(used, random) } : checkGuestMac(requested, used);
