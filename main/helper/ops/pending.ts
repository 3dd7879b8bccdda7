import { pendingOutcomePath, pendingPath } from '../../core/paths';
import { PendingChange } from '../../core/bridge-to-lan/bridged-steps';
import type { HostIo } from '../host-io';
import { startPendingTimer } from '../pending-timer-launch';
import type { HostOp } from './op';

async function readPending(io: HostIo, network: string): Promise<PendingChange | undefined> {
  const text = await io.readText(pendingPath(network));
  return text === undefined ? undefined : PendingChange.parse(JSON.parse(text));
}

/**
 * Arms a change that waits for confirmation: the pending file, then the timer process that rolls
 * it back at its deadline. A killed helper therefore still gets rolled back: by the timer, by
 * NetworkManager's checkpoint where NM is in charge, and at the latest by the next helper start.
 */
export const pendingArm: HostOp<'pending.arm'> = {
  check(step) {
    if (Date.parse(step.pending.deadline) <= Date.parse(step.pending.createdAt)) return { code: 'INVALID_REQUEST', field: 'pending.deadline', message: 'the deadline must come after the change' };
    // the timer runs these steps as root later: they may touch the pending network alone
    for (const field of ['rollback', 'commit'] as const) {
      const stranger = step.pending[field].find((s) => 'network' in s && s.network !== step.pending.network);
      if (stranger) return { code: 'INVALID_REQUEST', field: `pending.${field}`, message: `the ${field} of network ${step.pending.network} has a ${stranger.op} step of network ${stranger.network}` };
    }
    return undefined;
  },
  simulate: (_step, state) => state,

  async inverse(step, io) {
    if (await readPending(io, step.pending.network)) throw new Error(`a change of network ${step.pending.network} already waits for confirmation; confirm it or let it roll back first`);
    return [{ ensure: 'pending.armed', network: step.pending.network, pending: null }];
  },

  async run(step, io) {
    await io.writeTextAtomic(pendingPath(step.pending.network), `${JSON.stringify(step.pending, null, 2)}\n`, 0o644);
    startPendingTimer(step.pending.network);
    return `waiting for confirmation until ${step.pending.deadline}`;
  },
};

/**
 * Takes a pending change so that one party alone commits or rolls it back (a confirmation racing
 * the timer): whoever removes the file first wins, the other fails here before doing anything.
 */
export const pendingClaim: HostOp<'pending.claim'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    const pending = await readPending(io, step.network);
    if (!pending || pending.armId !== step.armId) throw new Error(`no change of network ${step.network} waits for confirmation any more: it was confirmed or rolled back already`);
    return [{ ensure: 'pending.armed', network: step.network, pending }];
  },

  async run(step, io) {
    await io.removeFile(pendingPath(step.network));
    return undefined;
  },
};

/** Records how a pending change ended; as the last step of its plan, it exists only if everything before it worked. */
export const pendingOutcome: HostOp<'pending.outcome'> = {
  check: () => undefined,
  simulate: (_step, state) => state,

  async inverse(step, io) {
    const path = pendingOutcomePath(step.network);
    return [{ ensure: 'file', path, content: (await io.readText(path)) ?? null }];
  },

  async run(step, io) {
    const outcome = { armId: step.armId, outcome: step.outcome, at: new Date().toISOString() };
    await io.writeTextAtomic(pendingOutcomePath(step.network), `${JSON.stringify(outcome)}\n`, 0o644);
    return undefined;
  },
};
