import { describe, expect, it } from 'vitest';
import { isRunning, selfIdentity, startTimeFromStat } from '../../../main/helper/process-identity';

describe('process identity', () => {
  it('reads the start time even when the command name has spaces and parentheses', () => {
    const stat = '4242 (node (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 11 0 987654 123 45';
    expect(startTimeFromStat(stat)).toBe('987654');
  });

  it('recognises this process and not a pid reused by another', async () => {
    const self = await selfIdentity();
    expect(self.pid).toBe(process.pid);
    expect(await isRunning(self)).toBe(true);
    expect(await isRunning({ ...self, startTime: String(Number(self.startTime) + 1) })).toBe(false);
    expect(await isRunning({ pid: 2 ** 22 + 1, startTime: '1' })).toBe(false);
  });
});
