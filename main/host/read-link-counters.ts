import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostCounters, LinkCounters } from '../core/host-counters';
import { SYSFS_NET } from './sysfs-facts';

/** the files under /sys/class/net/<link>/, in the order of LinkCounters' fields below */
const FILES = ['ifindex', 'statistics/rx_bytes', 'statistics/tx_bytes', 'statistics/rx_packets', 'statistics/tx_packets'] as const;

/** A sysfs counter file holds one decimal number and a newline; anything else is no counter. */
export function parseCounter(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

async function readLink(dir: string, name: string): Promise<LinkCounters | undefined> {
  // a link deleted between the listing and these reads has no files any more: it is left out
  const texts = await Promise.all(FILES.map((f) => readFile(join(dir, name, f), 'utf8').catch(() => '')));
  const [index, rxBytes, txBytes, rxPackets, txPackets] = texts.map(parseCounter);
  if (index === undefined || rxBytes === undefined || txBytes === undefined || rxPackets === undefined || txPackets === undefined) return undefined;
  return { name, index, rxBytes, txBytes, rxPackets, txPackets };
}

/**
 * Every link's byte and packet counters, from sysfs files: no child process, no netlink dump, so
 * it is cheap enough to repeat every few seconds while someone looks at the rates. The time is
 * taken after the reads, as the observer stamps its snapshots.
 */
export async function readLinkCounters(root = SYSFS_NET, now: () => Date = () => new Date()): Promise<HostCounters> {
  const names = await readdir(root);
  const links = (await Promise.all(names.map((n) => readLink(root, n)))).filter((l): l is LinkCounters => l !== undefined);
  return { takenAt: now().toISOString(), links };
}
