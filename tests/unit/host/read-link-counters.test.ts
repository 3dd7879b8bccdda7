import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCounter, readLinkCounters } from '../../../main/host/read-link-counters';

let root: string | undefined;
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function link(dir: string, name: string, files: Record<string, string>): Promise<void> {
  await mkdir(join(dir, name, 'statistics'), { recursive: true });
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, name, file), text);
}

describe('parseCounter', () => {
  it.each([['1234\n', 1234], ['0\n', 0], ['18446744073709551615\n', 18446744073709551615]])('reads %j as %d', (text, value) => expect(parseCounter(text)).toBe(value));
  it.each(['', '\n', '-1\n', '12 34', 'abc'])('has no counter in %j', (text) => expect(parseCounter(text)).toBeUndefined());
});

describe('readLinkCounters (against a directory shaped like /sys/class/net; the real one is in tests/integration/host)', () => {
  it('reads each link\'s index and counters, leaves out a link whose files are gone or unreadable, and stamps the time', async () => {
    root = await mkdtemp(join(tmpdir(), 'kvmnet-counters-'));
    const stats = (rx: number, tx: number) => ({ 'statistics/rx_bytes': `${rx}\n`, 'statistics/tx_bytes': `${tx}\n`, 'statistics/rx_packets': '3\n', 'statistics/tx_packets': '4\n' });
    await link(root, 'eth0', { ifindex: '2\n', ...stats(1000, 2000) });
    await link(root, 'kvtap0', { ifindex: '7\n', ...stats(5, 6) });
    await link(root, 'gone0', { ifindex: '9\n' });
    const counters = await readLinkCounters(root, () => new Date('2026-01-01T10:00:00.000Z'));
    expect(counters.takenAt).toBe('2026-01-01T10:00:00.000Z');
    expect([...counters.links].sort((a, b) => a.index - b.index)).toEqual([
      { name: 'eth0', index: 2, rxBytes: 1000, txBytes: 2000, rxPackets: 3, txPackets: 4 },
      { name: 'kvtap0', index: 7, rxBytes: 5, txBytes: 6, rxPackets: 3, txPackets: 4 },
    ]);
  });
});
