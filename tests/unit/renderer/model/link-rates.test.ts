import { describe, expect, it } from 'vitest';
import type { HostSnapshot } from '../../../../main/core/host-snapshot';
import { formatBytes, formatRate, linkRates } from '../../../../renderer/src/model/link-rates';
import { hostSnapshot } from '../fixtures/host-snapshot';

/** the fixture at `takenAt` with eth0's and kvtap0's counters set */
function at(takenAt: string, eth0: [number, number], kvtap0?: [number, number], kvtap0Index = 6): HostSnapshot {
  const snapshot = hostSnapshot({ takenAt });
  snapshot.links = snapshot.links.map((l) => {
    if (l.name === 'eth0') return { ...l, stats: { rxBytes: eth0[0], txBytes: eth0[1], rxPackets: 0, txPackets: 0 } };
    if (l.name === 'kvtap0' && kvtap0) return { ...l, index: kvtap0Index, stats: { rxBytes: kvtap0[0], txBytes: kvtap0[1], rxPackets: 0, txPackets: 0 } };
    return l;
  });
  return snapshot;
}

describe('linkRates', () => {
  it('divides the counters\' growth by the time between the snapshots', () => {
    const rates = linkRates(at('2026-01-01T10:00:00.000Z', [1000, 500], [0, 0]), at('2026-01-01T10:00:02.000Z', [5000, 700], [300, 100]));
    expect(rates.get('eth0')).toEqual({ rxBytesPerSecond: 2000, txBytesPerSecond: 100 });
    expect(rates.get('kvtap0')).toEqual({ rxBytesPerSecond: 150, txBytesPerSecond: 50 });
  });

  it('has no rate for the first snapshot, for links without counters, or when time did not move forward', () => {
    const first = at('2026-01-01T10:00:00.000Z', [1000, 500]);
    expect(linkRates(null, first).size).toBe(0);
    expect(linkRates(first, at('2026-01-01T10:00:01.000Z', [2000, 600])).has('wlan0')).toBe(false);
    expect(linkRates(first, at('2026-01-01T10:00:00.000Z', [2000, 600])).size).toBe(0);
  });

  it('makes up no rate for a link that was recreated or whose counters went back', () => {
    const before = at('2026-01-01T10:00:00.000Z', [1000, 500], [900, 900]);
    expect(linkRates(before, at('2026-01-01T10:00:01.000Z', [10, 500], [950, 950])).has('eth0')).toBe(false);
    expect(linkRates(before, at('2026-01-01T10:00:01.000Z', [1000, 500], [950, 950], 99)).has('kvtap0')).toBe(false);
    expect(linkRates(before, at('2026-01-01T10:00:01.000Z', [1000, 500], [950, 950])).get('kvtap0')).toEqual({ rxBytesPerSecond: 50, txBytesPerSecond: 50 });
  });
});

describe('formatBytes and formatRate', () => {
  it.each([
    [0, '0 B'], [999, '999 B'], [1000, '1.0 kB'], [1530, '1.5 kB'], [15_300, '15 kB'], [2_500_000, '2.5 MB'], [7.2e12, '7.2 TB'], [9e15, '9000 TB'],
  ])('%d bytes is %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it('adds per second', () => expect(formatRate(1530)).toBe('1.5 kB/s'));
});
