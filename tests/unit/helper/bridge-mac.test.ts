import { describe, expect, it } from 'vitest';
import { macFromBytes, randomBridgeMac } from '../../../main/helper/bridge-mac';

describe('bridge MACs', () => {
  it('are locally administered unicast whatever the random bytes', () => {
    expect(macFromBytes(Uint8Array.from([0xff, 1, 2, 3, 4, 0xab]))).toBe('fe:01:02:03:04:ab');
    expect(macFromBytes(Uint8Array.from([0x01, 0, 0, 0, 0, 0]))).toBe('02:00:00:00:00:00');
  });

  it('differ between bridges', () => {
    const macs = new Set(Array.from({ length: 50 }, randomBridgeMac));
    expect(macs.size).toBe(50);
    for (const mac of macs) expect(Number.parseInt(mac.slice(0, 2), 16) & 0b11).toBe(0b10);
  });

  it('refuse a wrong byte count', () => expect(() => macFromBytes(new Uint8Array(5))).toThrow(/6 bytes/));
});
