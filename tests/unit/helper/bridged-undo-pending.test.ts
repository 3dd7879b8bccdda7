import { beforeEach, describe, expect, it, vi } from 'vitest';
import { pendingPath } from '../../../main/core/paths';
import type { PendingChange } from '../../../main/core/bridge-to-lan/bridged-steps';
import { ensureBridgedUndo } from '../../../main/helper/bridged-undo';
import { startPendingTimer } from '../../../main/helper/pending-timer-launch';
import { FakeHostIo } from './fake-host-io';

vi.mock('../../../main/helper/pending-timer-launch', () => ({ startPendingTimer: vi.fn() }));

const pending = (deadline: Date): PendingChange => ({
  format: 1, network: 'lan', armId: '20261122T095000Z-1a2b3c', action: 'create', persistence: 'runtime',
  uplink: 'eth0', bridge: 'br0', createdAt: new Date(0).toISOString(), deadline: deadline.toISOString(), rollback: [], commit: [],
});

describe('putting a pending change back (undo pending.armed)', () => {
  beforeEach(() => vi.mocked(startPendingTimer).mockClear());

  it('starts its timer again while the deadline is ahead', async () => {
    const io = new FakeHostIo();
    await ensureBridgedUndo({ ensure: 'pending.armed', network: 'lan', pending: pending(new Date(Date.now() + 60_000)) }, io);
    expect(io.files.has(pendingPath('lan'))).toBe(true);
    expect(startPendingTimer).toHaveBeenCalledWith('lan');
  });

  it('leaves an overdue change to the next helper start instead of forking a timer that would fail again at once', async () => {
    const io = new FakeHostIo();
    await ensureBridgedUndo({ ensure: 'pending.armed', network: 'lan', pending: pending(new Date(Date.now() - 1000)) }, io);
    expect(io.files.has(pendingPath('lan'))).toBe(true);
    expect(startPendingTimer).not.toHaveBeenCalled();
  });
});
