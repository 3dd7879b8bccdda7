import type { PendingChange } from './bridged-steps';
import type { Plan } from '../../helper/protocol';

/**
 * The two ways a change that waits for confirmation ends. Both claim it first, so that of a
 * confirmation and the timer racing each other, exactly one runs.
 */
export const confirmPlan = (pending: PendingChange): Plan => ({
  description: `keep the ${pending.action === 'create' ? 'new bridge' : 'removal of bridge'} ${pending.bridge} of network ${pending.network}`,
  steps: [
    { op: 'pending.claim', network: pending.network, armId: pending.armId }, ...pending.commit,
    { op: 'pending.outcome', network: pending.network, armId: pending.armId, outcome: 'confirmed' },
  ],
});

export const rollbackPlan = (pending: PendingChange, why: string): Plan => ({
  description: `roll back ${pending.action === 'create' ? 'the new' : 'the removal of'} bridge ${pending.bridge} of network ${pending.network}: ${why}`,
  steps: [
    { op: 'pending.claim', network: pending.network, armId: pending.armId }, ...pending.rollback,
    { op: 'pending.outcome', network: pending.network, armId: pending.armId, outcome: 'rolled-back' },
  ],
});
