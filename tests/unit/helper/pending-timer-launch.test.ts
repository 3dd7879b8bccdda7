import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const child = Object.assign(new EventEmitter(), { unref: vi.fn() });
vi.mock('node:child_process', () => ({ spawn: vi.fn(() => child) }));

describe('starting a pending change timer', () => {
  it('survives a spawn that fails (no unhandled error event crashes the helper)', async () => {
    const { startPendingTimer } = await import('../../../main/helper/pending-timer-launch');
    startPendingTimer('lan');
    expect(() => child.emit('error', new Error('spawn EAGAIN'))).not.toThrow();
    expect(child.unref).toHaveBeenCalled();
  });
});
