import type { HostCounters } from '../../../main/core/host-counters';

/** Bytes per second a link received and sent between two counter samples, as the kernel counts them on the host side. */
export interface LinkRate {
  rxBytesPerSecond: number;
  txBytesPerSecond: number;
}

/**
 * Samples further apart than this give no rate: after the window was hidden (the feed stops) an
 * average over minutes would pass for the current rate. The feed samples every 2 s.
 */
export const MAX_SAMPLE_GAP_MS = 10_000;

/**
 * Rates from two successive samples of the counters (host:counters). A link is left out when either
 * sample lacks it, or when a counter went backwards (the link was deleted and made again under the
 * same name, or its counters were reset): a made-up rate is worse than none.
 */
export function linkRates(previous: HostCounters | null, current: HostCounters): Map<string, LinkRate> {
  const rates = new Map<string, LinkRate>();
  if (!previous) return rates;
  const elapsedMs = Date.parse(current.takenAt) - Date.parse(previous.takenAt);
  if (!(elapsedMs > 0 && elapsedMs <= MAX_SAMPLE_GAP_MS)) return rates;
  const seconds = elapsedMs / 1000;
  const before = new Map(previous.links.map((l) => [l.name, l]));
  for (const link of current.links) {
    const old = before.get(link.name);
    if (!old) continue;
    const rx = link.rxBytes - old.rxBytes;
    const tx = link.txBytes - old.txBytes;
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
