import { describe, expect, it } from 'vitest';
import { decodeJournal, encodeJournal, rollbackOrder, type Journal } from '../../../main/helper/journal';

const journal = (): Journal => ({
  format: 1,
  applyId: '1700000000000-42-abcd1234',
  requestId: 'r1',
  writer: { pid: 42, startTime: '12345' },
  startedAt: '2026-01-01T00:00:00.000Z',
  plan: { steps: [{ op: 'link.add', kind: 'bridge', name: 'kvbr0', network: 'lab' }, { op: 'link.setState', name: 'kvbr0', up: true }, { op: 'sysctl.set', key: 'net.ipv4.ip_forward', value: '1' }] },
  done: [
    { index: 0, op: 'link.add', undo: [{ ensure: 'link.absent', name: 'kvbr0', network: 'lab' }] },
    { index: 1, op: 'link.setState', undo: [{ ensure: 'link.up', name: 'kvbr0', up: false }] },
  ],
  running: [{ index: 2, op: 'sysctl.set', undo: [{ ensure: 'sysctl', path: 'net/ipv4/ip_forward', value: '0' }] }],
});

describe('journal encoding', () => {
  it('round-trips as one JSON line', () => {
    const text = encodeJournal(journal());
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd()).not.toContain('\n');
    expect(decodeJournal(text)).toEqual(journal());
  });

  it('refuses to write an inverse it could not trust when reading it back', () => {
    const bad = journal();
    bad.done[0]!.undo = [{ ensure: 'link.absent', name: 'kv br0', network: 'lab' }];
    expect(() => encodeJournal(bad)).toThrow();
  });

  it.each([
    ['a torn file', '{"format":1,"applyId":"x"'],
    ['another format', JSON.stringify({ ...journal(), format: 2 })],
    ['a command smuggled into an undo', JSON.stringify({ ...journal(), running: [{ index: 0, op: 'x', undo: [{ ensure: 'sysctl', path: 'kernel/core_pattern', value: '1' }] }] })],
    ['an unknown field', JSON.stringify({ ...journal(), exec: 'reboot' })],
  ])('rejects %s', (_what, text) => expect(() => decodeJournal(text)).toThrow());

  it('rolls back steps in flight first, then completed steps, newest first', () => {
    expect(rollbackOrder(journal()).map((e) => e.index)).toEqual([2, 1, 0]);
    expect(rollbackOrder({ done: [], running: [{ index: 3, op: 'a', undo: [] }, { index: 4, op: 'b', undo: [] }] }).map((e) => e.index)).toEqual([4, 3]);
  });
});
