import type { HostSnapshot } from '../../../main/core/host-snapshot';

/** Bytes per second a link received and sent between two snapshots, as the kernel counts them on the host side. */
export interface LinkRate {
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
}

/**
 * Rates from two successive snapshots' counters. A link is left out when either snapshot lacks its
 * counters, when it is not the same link any more (a new ifindex under the same name), or when a
 * counter went backwards (the link was recreated or its counters were reset): a made-up rate is
 * worse than none.
 */
export function linkRates(previous: HostSnapshot | null, current: HostSnapshot): Map<string, LinkRate> {
  const rates = new Map<string, LinkRate>();
  if (!previous) return rates;
  const seconds = (Date.parse(current.takenAt) - Date.parse(previous.takenAt)) / 1000;
  if (!(seconds > 0)) return rates;
  const before = new Map(previous.links.map((l) => [l.name, l]));
  for (const link of current.links) {
    const old = before.get(link.name);
    if (!old?.stats || !link.stats || old.index !== link.index) continue;
    const rx = link.stats.rxBytes - old.stats.rxBytes;
    const tx = link.stats.txBytes - old.stats.txBytes;
    if (rx < 0 || tx < 0) continue;
    rates.set(link.name, { rxBytesPerSecond: rx / seconds, txBytesPerSecond: tx / seconds });
  }
  return rates;
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'] as const;

/** 1530 → "1.5 kB": decimal units as network tools print them, one decimal below 10. */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit > 0 && value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSecond: number): string => `${formatBytes(bytesPerSecond)}/s`;
