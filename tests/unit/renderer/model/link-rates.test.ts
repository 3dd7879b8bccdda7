import { describe, expect, it } from 'vitest';
import type { HostCounters } from '../../../../main/core/host-counters';
import { formatBytes, formatRate, linkRates, MAX_SAMPLE_GAP_MS } from '../../../../renderer/src/model/link-rates';

/** a host:counters sample at `takenAt` with eth0's and (optionally) kvtap0's byte counters */
function at(takenAt: string, eth0: [number, number], kvtap0?: [number, number]): HostCounters {
  const link = (name: string, [rxBytes, txBytes]: [number, number]) => ({ name, rxBytes, txBytes, rxPackets: 0, txPackets: 0 });
  return { takenAt, links: [link('eth0', eth0), ...(kvtap0 ? [link('kvtap0', kvtap0)] : [])] };
}

describe('linkRates', () => {
  it('divides the counters\' growth by the time between the samples', () => {
    const rates = linkRates(at('2026-01-01T10:00:00.000Z', [1000, 500], [0, 0]), at('2026-01-01T10:00:02.000Z', [5000, 700], [300, 100]));
    expect(rates.get('eth0')).toEqual({ rxBytesPerSecond: 2000, txBytesPerSecond: 100 });
    expect(rates.get('kvtap0')).toEqual({ rxBytesPerSecond: 150, txBytesPerSecond: 50 });
  });

  it('has no rate for the first sample, for a link missing from either, or when time did not move forward', () => {
    const first = at('2026-01-01T10:00:00.000Z', [1000, 500]);
    expect(linkRates(null, first).size).toBe(0);
    expect(linkRates(first, at('2026-01-01T10:00:01.000Z', [2000, 600], [10, 10])).has('kvtap0')).toBe(false);
    expect(linkRates(first, at('2026-01-01T10:00:00.000Z', [2000, 600])).size).toBe(0);
  });

  it('gives no rate across a gap longer than the feed leaves while it runs (the window was hidden)', () => {
    const first = at('2026-01-01T10:00:00.000Z', [1000, 500]);
    const later = (ms: number) => at(new Date(Date.parse(first.takenAt) + ms).toISOString(), [3000, 500]);
    expect(linkRates(first, later(MAX_SAMPLE_GAP_MS)).get('eth0')).toEqual({ rxBytesPerSecond: 200, txBytesPerSecond: 0 });
    expect(linkRates(first, later(MAX_SAMPLE_GAP_MS + 1)).size).toBe(0);
  });

  it('makes up no rate for a link that was recreated or whose counters went back', () => {
    const before = at('2026-01-01T10:00:00.000Z', [1000, 500], [900, 900]);
    expect(linkRates(before, at('2026-01-01T10:00:01.000Z', [10, 500], [950, 950])).has('eth0')).toBe(false);
    expect(linkRates(before, at('2026-01-01T10:00:01.000Z', [1000, 500], [10, 950])).has('kvtap0')).toBe(false);
    expect(linkRates(before, at('2026-01-01T10:00:01.000Z', [1000, 500], [950, 950])).get('kvtap0')).toEqual({ rxBytesPerSecond: 50, txBytesPerSecond: 50 });
  });
});

describe('formatBytes and formatRate', () => {
  it.each([
    [0, '0 B'], [999, '999 B'], [1000, '1.0 kB'], [1530, '1.5 kB'], [15_300, '15 kB'], [2_500_000, '2.5 MB'], [7.2e12, '7.2 TB'], [9e15, '9000 TB'],
  ])('%d bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('adds per second', () => expect(formatRate(1530)).toBe('1.5 kB/s'));
});
