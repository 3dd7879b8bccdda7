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

export async function readSysfsFacts(name: string, root = SYSFS_NET): Promise<SysfsFacts> {
  const dir = join(root, name);
  const [device, wireless, phy80211, owner] = await Promise.all([
    exists(join(dir, 'device')),
    exists(join(dir, 'wireless')),
    exists(join(dir, 'phy80211')),
    readFile(join(dir, 'owner'), 'utf8').catch(() => undefined),
  ]);
  const tunOwnerUid = owner === undefined ? undefined : parseTunOwner(owner);
  return { device, wireless: wireless || phy80211, ...(tunOwnerUid === undefined ? {} : { tunOwnerUid }) };
}

export async function readAllSysfsFacts(names: readonly string[], root = SYSFS_NET): Promise<Map<string, SysfsFacts>> {
  return new Map(await Promise.all(names.map(async (n) => [n, await readSysfsFacts(n, root)] as const)));
}
