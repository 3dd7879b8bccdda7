import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProcNetDev, readLinkCounters } from '../../../main/host/read-link-counters';

/** /proc/net/dev as Linux 6.1 prints it (the real one is read in tests/integration/host) */
const PROC_NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    6386      58    0    0    0     0          0         0     6386      58    0    0    0     0       0          0
  eth0: 184467440737095 1234567    0   12    0     0          0        40 9876543    8765    0    0    0     0       0          0
kvtap-with-long:     100       2    0    0    0     0          0         0      300       4    0    0    0     0       0          0
`;

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('parseProcNetDev', () => {
  it('takes each link\'s receive and transmit bytes and packets from their columns', () => {
    expect(parseProcNetDev(PROC_NET_DEV)).toEqual([
      { name: 'lo', rxBytes: 6386, rxPackets: 58, txBytes: 6386, txPackets: 58 },
      { name: 'eth0', rxBytes: 184467440737095, rxPackets: 1234567, txBytes: 9876543, txPackets: 8765 },
      { name: 'kvtap-with-long', rxBytes: 100, rxPackets: 2, txBytes: 300, txPackets: 4 },
    ]);
  });

  it('skips the headers and any line that is not 16 counters, instead of guessing', () => {
    const [header1, header2] = PROC_NET_DEV.split('\n');
    expect(parseProcNetDev(`${header1}\n${header2}\n  bad0: 1 2 3\n  bad1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`)).toEqual([]);
    expect(parseProcNetDev('')).toEqual([]);
  });
});

describe('readLinkCounters', () => {
  it('reads the file in one go and stamps the time after reading', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kvmnet-counters-'));
    await writeFile(join(dir, 'dev'), PROC_NET_DEV);
    const counters = await readLinkCounters(join(dir, 'dev'), () => new Date('2026-01-01T10:00:00.000Z'));
    expect(counters).toEqual({ takenAt: '2026-01-01T10:00:00.000Z', links: parseProcNetDev(PROC_NET_DEV) });
  });

  it('rejects when the file cannot be read (the feed reports it and tries again)', async () => {
    await expect(readLinkCounters('/nonexistent/kvmnet/net/dev')).rejects.toThrow(/ENOENT/);
  });
});
