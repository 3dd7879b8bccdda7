import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What only sysfs tells about a link: whether it is real hardware, radio, and who owns a tun/tap. */
export interface SysfsFacts {
  /** /sys/class/net/X/device exists: the link sits on a bus (PCI, USB, virtio …) */
  device: boolean;
  /** /sys/class/net/X/wireless or /phy80211 exists */
  wireless: boolean;
  /** tun/tap devices: the uid allowed to open it; iproute2 prints a user name instead when it can */
  tunOwnerUid?: number;
}

export const SYSFS_NET = '/sys/class/net';

const exists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** the kernel writes -1 when a tun/tap has no owner */
export function parseTunOwner(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/** which of a link's sysfs facts the parsers use: hardware (bus device, radio) and a tun/tap's owner */
export interface SysfsWants {
  hardware: boolean;
  owner: boolean;
}

const EVERYTHING: SysfsWants = { hardware: true, owner: true };

export async function readSysfsFacts(name: string, root = SYSFS_NET, wants: SysfsWants = EVERYTHING): Promise<SysfsFacts> {
  const dir = join(root, name);
  const [device, wireless, phy80211, owner] = await Promise.all([
    wants.hardware && exists(join(dir, 'device')),
    wants.hardware && exists(join(dir, 'wireless')),
    wants.hardware && exists(join(dir, 'phy80211')),
    wants.owner ? readFile(join(dir, 'owner'), 'utf8').catch(() => undefined) : undefined,
  ]);
  const tunOwnerUid = owner === undefined ? undefined : parseTunOwner(owner);
  return { device, wireless: wireless || phy80211, ...(tunOwnerUid === undefined ? {} : { tunOwnerUid }) };
}

export async function readAllSysfsFacts(names: readonly string[], root = SYSFS_NET): Promise<Map<string, SysfsFacts>> {
  return new Map(await Promise.all(names.map(async (n) => [n, await readSysfsFacts(n, root)] as const)));
}

/**
 * Only the facts each link needs, so that a host with a thousand taps costs no thousands of file
 * probes: hardware facts for links without an IFLA_INFO_KIND (only real NICs lack one), and the
 * owner of a tun/tap whose uid iproute2 printed as a user name instead of a number. Links that
 * need nothing get no entry.
 */
export async function readNeededSysfsFacts(wanted: ReadonlyMap<string, SysfsWants>, root = SYSFS_NET): Promise<Map<string, SysfsFacts>> {
  const needed = [...wanted].filter(([, w]) => w.hardware || w.owner);
  return new Map(await Promise.all(needed.map(async ([n, w]) => [n, await readSysfsFacts(n, root, w)] as const)));
}
