import { IFNAME_MAX_BYTES } from '../names';

/**
 * The name KVMNet gives a guest's tap when the user names none: "kvt-", the network's name cut to
 * fit, "-" and a number, within the kernel's 15 bytes. The number is the lowest one whose name is
 * free, so the names stay short and predictable (kvt-lab-0, kvt-lab-1 …). Network names are ASCII,
 * so characters are bytes.
 */
const PREFIX = 'kvt-';

export function defaultTapName(network: string, taken: ReadonlySet<string>): string {
  for (let n = 0; ; n++) {
    const suffix = `-${n}`;
    const stem = network.slice(0, IFNAME_MAX_BYTES - PREFIX.length - suffix.length).replace(/[-_]+$/, '');
    const name = `${PREFIX}${stem}${suffix}`;
    if (!taken.has(name)) return name;
  }
}
