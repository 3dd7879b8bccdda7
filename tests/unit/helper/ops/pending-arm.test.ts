import { describe, expect, it } from 'vitest';
import type { PendingChange } from '../../../../main/core/bridge-to-lan/bridged-steps';
import { pendingArm } from '../../../../main/helper/ops/pending';
import { host, planState } from '../link-fixtures';

const pending: PendingChange = {
  format: 1, network: 'lan', armId: 'arm-1', action: 'create', persistence: 'networkmanager', uplink: 'eth0', bridge: 'br0',
  createdAt: '2026-11-22T10:00:00.000Z', deadline: '2026-11-22T10:01:00.000Z',
  rollback: [{ op: 'nm.checkpoint.rollback', network: 'lan' }, { op: 'bridged.record', network: 'lan', persistent: true, record: null }],
  commit: [{ op: 'nm.checkpoint.destroy', network: 'lan' }],
};
const check = (p: PendingChange) => pendingArm.check({ op: 'pending.arm', pending: p }, planState(host()));

describe('pending.arm', () => {
  it('arms a change whose rollback and commit touch its own network alone', () => {
    expect(check(pending)).toBeUndefined();
    expect(check({ ...pending, rollback: [...pending.rollback, { op: 'nm.checkpoint.rollback', network: 'home' }] })).toMatchObject({ code: 'INVALID_REQUEST', field: 'pending.rollback' });
    expect(check({ ...pending, commit: [{ op: 'nm.checkpoint.destroy', network: 'home' }] })).toMatchObject({ code: 'INVALID_REQUEST', field: 'pending.commit', message: expect.stringContaining('of network home') });
  });
});
