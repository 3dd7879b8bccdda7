import { describe, expect, it } from 'vitest';
import { formatRelative } from '../../../../renderer/src/composables/use-relative-time';

const now = new Date('2026-01-01T10:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('formatRelative', () => {
  it('says "just now" for the last few seconds', () => {
    expect(formatRelative(ago(3), now, 'en', 'just now')).toBe('just now');
  });

  it('picks the largest whole unit, in the UI language', () => {
    expect(formatRelative(ago(42), now, 'en', '')).toBe('42 seconds ago');
    expect(formatRelative(ago(180), now, 'en', '')).toBe('3 minutes ago');
    expect(formatRelative(ago(7200), now, 'vi', '')).toBe('2 giờ trước');
    expect(formatRelative(ago(120), now, 'zh-CN', '')).toBe('2分钟前');
  });
});
