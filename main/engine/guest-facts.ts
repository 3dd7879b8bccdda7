import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { LeaseMac } from '../core/attach/mac';
import type { HostSnapshot } from '../core/host-snapshot';
import type { NetworkRecord } from '../core/network/network-record';
import { leasesPath } from '../core/paths';
import { readOptional } from '../host/doctor-facts/host-files';
import { parseDnsmasqLeases, parseLibvirtLeaseStatus } from '../host/doctor-facts/parse-leases';

/** where libvirt's dnsmasq keeps each network's leases, as a JSON status file named after the bridge */
const LIBVIRT_DNSMASQ_DIR = '/var/lib/libvirt/dnsmasq';

/** What putting a guest on a network needs to know beyond the network state: read at the edge, used by the pure core. */
export interface GuestFacts {
  /** every DHCP lease KVMNet's and libvirt's dnsmasq hold: guests KVMNet cannot otherwise see */
  leases: LeaseMac[];
  /** /dev/vhost-net exists: QEMU may then hand virtio packets to the kernel */
  vhostNet: boolean;
  /** who asked: the user sudo or pkexec ran us for, else ourselves; their taps are theirs to open */
  invokingUid: number;
}

/** the uid the user ran kvmnet as, seen through sudo (SUDO_UID) and pkexec (PKEXEC_UID) */
export function invokingUid(env: NodeJS.ProcessEnv = process.env, uid: number = process.getuid?.() ?? 0): number {
  if (uid !== 0) return uid;
  for (const key of ['SUDO_UID', 'PKEXEC_UID'] as const) {
    const value = env[key];
    if (value !== undefined && /^[0-9]{1,10}$/.test(value)) return Number(value);
  }
  return uid;
}

async function readLeaseMacs(snapshot: HostSnapshot, records: readonly NetworkRecord[]): Promise<LeaseMac[]> {
  const direct = records.map(async (r) => parseDnsmasqLeases((await readOptional(leasesPath(r.spec.name))) ?? '', r.spec.name));
  const libvirt = snapshot.libvirt.networks.flatMap((n) => (n.bridge === undefined ? [] : [n.bridge])).map(async (bridge) => {
    try {
      return parseLibvirtLeaseStatus((await readOptional(join(LIBVIRT_DNSMASQ_DIR, `${bridge}.status`))) ?? '', bridge);
    } catch {
      // a status file libvirt is rewriting reads as broken JSON: its leases are still in the domain list or the links
      return [];
    }
  });
  return (await Promise.all([...direct, ...libvirt])).flat();
}

export async function readGuestFacts(snapshot: HostSnapshot, records: readonly NetworkRecord[]): Promise<GuestFacts> {
  const [leases, vhostNet] = await Promise.all([
    readLeaseMacs(snapshot, records),
    access('/dev/vhost-net').then(() => true, () => false),
  ]);
  return { leases, vhostNet, invokingUid: invokingUid() };
}
