import type { PendingChange } from '../core/bridge-to-lan/bridged-steps';
import type { UplinkAlternative } from '../core/bridge-to-lan/uplink-eligibility';
import { KvmnetError } from '../core/kvmnet-error';
import { renderPlanAsShell } from '../core/render/plan-as-shell';
import type { BridgedEngine, BridgedHooks } from '../engine/bridged/bridged-engine';
import type { BridgedStatus } from '../engine/bridged/bridged-state';
import { confirmBridged, rollBackBridged, type ResolveOutcome } from '../engine/bridged/confirm-bridged';
import { createBridged, prepareCreateBridged, type CreateBridgedRequest } from '../engine/bridged/create-bridged';
import { deleteBridged } from '../engine/bridged/delete-bridged';
import { runThroughSession, type RunOutcome, type SessionPrivilege, type StepProgress } from '../engine/run-plan';
import type { Plan } from '../helper/protocol';
import type {
  BridgedCreateResult, BridgedDeleteResult, BridgedEnded, BridgedList, BridgedPending, BridgedPreview, BridgedProgress, BridgedResolveResult,
} from '../ipc/bridged-channels';
import type { RunResult } from '../ipc/network-channels';
import { runResult } from './run-result';

/** What the bridge-to-LAN service needs; the app and the E2E transport pass the host's own. */
export interface BridgedServiceDeps {
  /** the engine's read side on this host (hostBridgedEngine); plans run through `privilege` instead */
  host: Omit<BridgedEngine, 'run'>;
  privilege: SessionPrivilege;
  readStatus(now: number): Promise<BridgedStatus[]>;
  readPending(network: string): Promise<PendingChange | undefined>;
  waitForOutcome(network: string, armId: string, until: number): Promise<'confirmed' | 'rolled-back' | 'unknown'>;
}

export type BridgedService = ReturnType<typeof createBridgedService>;

/** how long after a deadline the rollback by NetworkManager or the helper's timer must have reported back */
export const OUTCOME_SLACK_MS = 60_000;

/** the uplink refusals prepareCreateBridged throws: nothing changed, and the message says why and what instead */
const REFUSAL_CODES = new Set(['BAD_REQUEST', 'UPLINK_NOT_BRIDGEABLE']);

interface Recorded {
  plan: Plan;
  outcome: RunOutcome;
  progress: StepProgress[];
}

type Phase = BridgedProgress['phase'];

const silentHooks: BridgedHooks = { onProgress: () => undefined, log: () => undefined };

const outcomeMessage = (outcome: RunOutcome): string => {
  switch (outcome.status) {
    case 'done': return '';
    case 'failed': return outcome.error.failure?.reason.trim() ?? outcome.error.message;
    default: return outcome.message;
  }
};

const pendingView = (p: PendingChange): BridgedPending => ({
  network: p.network, armId: p.armId, uplink: p.uplink, bridge: p.bridge, persistence: p.persistence, action: p.action, createdAt: p.createdAt, deadline: p.deadline,
});

/**
 * Bridges to the LAN for the app, on the CLI's own engine (prepare, create, confirm, roll back,
 * delete), with plans run through the window's privilege session. While a change waits, one timer
 * sleeps until its deadline and then learns how it ended (the helper's timer or NetworkManager
 * rolls it back even if this process dies); nothing polls otherwise.
 */
export function createBridgedService(deps: BridgedServiceDeps) {
  const progressListeners = new Set<(progress: BridgedProgress) => void>();
  const listListeners = new Set<(list: BridgedList) => void>();
  const endedListeners = new Set<(ended: BridgedEnded) => void>();
  const watches = new Map<string, { armId: string; cancelled: boolean; timer: ReturnType<typeof setTimeout> }>();
  let running = false;

  /** the engine for one operation: its plans go through the session, each recorded, progress pushed under runId */
  function engineFor(runId: string, phases: readonly Phase[], runs: Recorded[]): BridgedEngine {
    return {
      ...deps.host,
      run: async (plan) => {
        const phase = phases[Math.min(runs.length, phases.length - 1)] ?? 'apply';
        const recorded: Recorded = { plan, outcome: { status: 'lost', message: 'did not finish' }, progress: [] };
        runs.push(recorded);
        recorded.outcome = await runThroughSession(deps.privilege, plan, (event) => {
          recorded.progress.push(event);
          const step = plan.steps[event.index];
          if (!step) return;
          const message: BridgedProgress = { runId, phase, index: event.index, total: event.total, step, status: event.status, ...(event.message ? { message: event.message } : {}) };
          for (const listener of progressListeners) listener(message);
        });
        return recorded.outcome;
      },
    };
  }

  const resultOf = (recorded: Recorded | undefined): RunResult =>
    recorded ? runResult(recorded.plan, recorded.outcome, recorded.progress) : { status: 'nothing-to-do', steps: [], rolledBack: [], left: [] };

  async function exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (running) throw new KvmnetError('BUSY', 'another change of a bridge to the LAN is still running; wait for it to finish, then try again');
    running = true;
    try {
      return await work();
    } finally {
      running = false;
    }
  }

  async function list(): Promise<BridgedList> {
    const statuses = await deps.readStatus(Date.now());
    // a change another process (the CLI, an earlier window) left waiting gets its watch too
    for (const s of statuses) {
      if (s.state === 'pending-create' || s.state === 'pending-delete') {
        if (!watches.has(s.name)) {
          const pending = await deps.readPending(s.name);
          if (pending) watch(pending);
        }
      }
    }
    return {
      bridges: statuses.map((s) => ({
        name: s.name, uplink: s.uplink, bridge: s.bridge, persistence: s.persistence, state: s.state,
        ...(s.deadline ? { deadline: s.deadline } : {}), ...(s.overdue !== undefined ? { overdue: s.overdue } : {}),
      })),
    };
  }

  async function pushList(): Promise<void> {
    const current = await list().catch(() => undefined);
    if (current) for (const listener of listListeners) listener(current);
  }

  function ended(value: BridgedEnded): BridgedEnded {
    const w = watches.get(value.network);
    if (w && w.armId === value.armId) unwatch(value.network);
    for (const listener of endedListeners) listener(value);
    void pushList();
    return value;
  }

  function unwatch(network: string): void {
    const w = watches.get(network);
    if (!w) return;
    w.cancelled = true;
    clearTimeout(w.timer);
    watches.delete(network);
  }

  /** sleeps until the deadline, then waits (bounded) for the rollback's report: the only timer, and only while a change waits */
  function watch(pending: PendingChange): void {
    unwatch(pending.network);
    const deadline = Date.parse(pending.deadline);
    const entry = { armId: pending.armId, cancelled: false, timer: undefined as unknown as ReturnType<typeof setTimeout> };
    entry.timer = setTimeout(() => {
      void deps.waitForOutcome(pending.network, pending.armId, deadline + OUTCOME_SLACK_MS).then((outcome) => {
        if (entry.cancelled) return;
        ended({ network: pending.network, armId: pending.armId, outcome, cause: outcome === 'confirmed' ? 'kept' : 'timeout' });
      });
    }, Math.max(0, deadline - Date.now()));
    watches.set(pending.network, entry);
  }

  async function resolve(network: string, keep: boolean): Promise<BridgedResolveResult> {
    return exclusive(async () => {
      const runs: Recorded[] = [];
      const outcome: ResolveOutcome = await (keep ? confirmBridged : rollBackBridged)(network, engineFor(`resolve-${network}`.slice(0, 64), ['resolve'], runs), silentHooks);
      switch (outcome.status) {
        case 'nothing-pending':
          unwatch(network);
          void pushList();
          return { status: 'nothing-pending', network, ...(outcome.lastOutcome ? { lastOutcome: outcome.lastOutcome } : {}) };
        case 'done':
          return { status: 'ended', ended: ended({ network, armId: outcome.pending.armId, outcome: keep ? 'confirmed' : 'rolled-back', cause: keep ? 'kept' : 'undone' }) };
        case 'expired':
          return {
            status: 'ended',
            ended: ended({
              network, armId: outcome.pending.armId, outcome: outcome.rollback.status === 'done' ? 'rolled-back' : 'unknown', cause: 'timeout',
              ...(outcome.rollback.status === 'done' ? {} : { message: outcomeMessage(outcome.rollback) }),
            }),
          };
        case 'failed':
          return { status: 'ended', ended: ended({ network, armId: outcome.pending.armId, outcome: 'unknown', cause: 'failed', message: outcomeMessage(outcome.outcome) }) };
      }
    });
  }

  return {
    onProgress(listener: (progress: BridgedProgress) => void): () => void {
      progressListeners.add(listener);
      return () => { progressListeners.delete(listener); };
    },
    subscribe(listener: (list: BridgedList) => void): () => void {
      listListeners.add(listener);
      return () => { listListeners.delete(listener); };
    },
    onEnded(listener: (ended: BridgedEnded) => void): () => void {
      endedListeners.add(listener);
      return () => { endedListeners.delete(listener); };
    },

    list,

    /** the plan as steps and commands, who keeps it (NetworkManager, systemd-networkd or nobody), or why not (Wi‑Fi, bad input) */
    async plan(request: CreateBridgedRequest): Promise<BridgedPreview> {
      try {
        const prepared = await prepareCreateBridged(request, { ...deps.host, run: () => Promise.reject(new Error('planning runs nothing')) });
        const { plan, record, pending } = prepared.plan;
        return {
          status: 'ready', name: record.name, uplink: record.uplink, bridge: record.bridge, persistence: record.persistence,
          steps: plan.steps, shell: renderPlanAsShell(plan), warnings: prepared.warnings,
          confirmTimeoutSeconds: Math.round((Date.parse(pending.deadline) - Date.parse(pending.createdAt)) / 1000),
        };
      } catch (e) {
        if (!(e instanceof KvmnetError) || !REFUSAL_CODES.has(e.code)) throw e;
        const alternatives = (e as KvmnetError & { alternatives?: readonly UplinkAlternative[] }).alternatives;
        return { status: 'refused', code: e.code, field: e.field ?? 'request', message: e.message, ...(alternatives ? { alternatives: [...alternatives] } : {}) };
      }
    },

    /** apply, verify, then wait: resolves once the change waits for Keep (or was rolled back, or refused) */
    create(runId: string, request: CreateBridgedRequest): Promise<BridgedCreateResult> {
      return exclusive(async () => {
        const runs: Recorded[] = [];
        const outcome = await createBridged(request, engineFor(runId, ['apply', 'rollback'], runs), silentHooks);
        const network = request.name;
        switch (outcome.status) {
          case 'refused':
            return { status: 'refused', network, code: 'REFUSED', field: outcome.field, message: outcome.message, ...(outcome.alternatives ? { alternatives: [...outcome.alternatives] } : {}) };
          case 'failed':
            return { status: 'failed', network, run: resultOf(runs[0]) };
          case 'verify-failed':
            void pushList();
            return { status: 'verify-failed', network, run: resultOf(runs[0]), failure: outcome.verification.failure ?? '', checks: [...outcome.verification.checks], rollback: resultOf(runs[1]) };
          case 'pending':
            watch(outcome.pending);
            void pushList();
            return { status: 'pending', network, run: resultOf(runs[0]), pending: pendingView(outcome.pending), checks: [...outcome.verification.checks], warnings: outcome.warnings };
        }
      });
    },

    /** "Keep this change" */
    confirm: (network: string) => resolve(network, true),
    /** "Undo now" */
    rollback: (network: string) => resolve(network, false),

    /** gives the uplink back what it had, checked like a create; a failed check puts the bridge back */
    delete(runId: string, network: string): Promise<BridgedDeleteResult> {
      return exclusive(async () => {
        const runs: Recorded[] = [];
        const outcome = await deleteBridged(network, engineFor(runId, ['apply', 'resolve'], runs), silentHooks);
        void pushList();
        switch (outcome.status) {
          case 'unknown':
            return { status: 'unknown', network, message: outcome.message };
          case 'failed':
            return { status: 'failed', network, run: resultOf(runs[0]) };
          case 'verify-failed':
            return { status: 'verify-failed', network, run: resultOf(runs[0]), failure: outcome.verification.failure ?? '', rollback: resultOf(runs[1]) };
          case 'deleted':
            return { status: 'deleted', network, run: resultOf(runs[0]), checks: [...outcome.verification.checks] };
        }
      });
    },

    dispose(): void {
      for (const network of [...watches.keys()]) unwatch(network);
    },
  };
}
