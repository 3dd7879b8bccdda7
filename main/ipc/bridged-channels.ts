import { z } from 'zod';
import { BridgedPersistence } from '../core/bridge-to-lan/bridged-record';
import { CreateBridgedRequest } from '../core/bridge-to-lan/create-bridged-request';
import { NetworkName } from '../core/names';
import { Step } from '../helper/protocol';
import { RunId, RunProgress, RunResult } from './network-channels';

/**
 * Payloads of the bridge-to-LAN channels: plan, create (apply, verify, then wait for
 * confirmation), keep, undo, list and delete. The request is the CLI's own (CreateBridgedRequest),
 * so the app and `kvmnet create bridged` accept exactly the same input.
 */

export const BridgedPlanRequest = z.object({ request: CreateBridgedRequest }).strict();
export const BridgedCreateRequest = z.object({ runId: RunId, request: CreateBridgedRequest }).strict();
export const BridgedNameRequest = z.object({ name: NetworkName }).strict();
export const BridgedRunRequest = z.object({ runId: RunId, name: NetworkName }).strict();

const UplinkAlternative = z.enum(['nat', 'routed-proxy-arp', 'existing-bridge']);

/** nothing changed: bad input, or an uplink that cannot be bridged (Wi‑Fi, a bridge, loopback) */
const Refusal = {
  code: z.string(),
  field: z.string(),
  message: z.string(),
  alternatives: z.array(UplinkAlternative).optional(),
};

export const BridgedPreview = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ready'),
    name: NetworkName,
    uplink: z.string(),
    bridge: z.string(),
    /** who brings the bridge back after a reboot: NetworkManager, or nobody (runtime only) */
    persistence: BridgedPersistence,
    steps: z.array(Step),
    shell: z.string(),
    warnings: z.array(z.string()),
    confirmTimeoutSeconds: z.number().int(),
  }),
  z.object({ status: z.literal('refused'), ...Refusal }),
]);
export type BridgedPreview = z.infer<typeof BridgedPreview>;

/** a change that waits for the user's "Keep" until its deadline */
export const BridgedPending = z.object({
  network: NetworkName,
  armId: z.string(),
  uplink: z.string(),
  bridge: z.string(),
  persistence: BridgedPersistence,
  action: z.enum(['create', 'delete']),
  createdAt: z.string(),
  deadline: z.string(),
});
export type BridgedPending = z.infer<typeof BridgedPending>;

export const BridgedCreateResult = z.discriminatedUnion('status', [
  /** applied and verified: the countdown runs until pending.deadline */
  z.object({ status: z.literal('pending'), network: NetworkName, run: RunResult, pending: BridgedPending, checks: z.array(z.string()), warnings: z.array(z.string()) }),
  /** applied, but the gateway or DNS check failed: rolled back at once (rollback says how that went) */
  z.object({ status: z.literal('verify-failed'), network: NetworkName, run: RunResult, failure: z.string(), checks: z.array(z.string()), rollback: RunResult }),
  /** the apply itself failed (the helper undid what it did), or root was not granted */
  z.object({ status: z.literal('failed'), network: NetworkName, run: RunResult }),
  z.object({ status: z.literal('refused'), network: z.string(), ...Refusal }),
]);
export type BridgedCreateResult = z.infer<typeof BridgedCreateResult>;

/**
 * How a change that waited ended: kept by the user, undone by the user, rolled back at its
 * deadline, or (unknown) nothing reported back after the deadline and its grace.
 */
export const BridgedEnded = z.object({
  network: NetworkName,
  armId: z.string(),
  outcome: z.enum(['confirmed', 'rolled-back', 'unknown']),
  cause: z.enum(['kept', 'undone', 'timeout', 'failed']),
  /** what went wrong, in the engine's words, when cause is failed */
  message: z.string().optional(),
});
export type BridgedEnded = z.infer<typeof BridgedEnded>;

/** the answer to Keep or Undo now: how it ended, or nothing-pending (it had ended already) */
export const BridgedResolveResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ended'), ended: BridgedEnded }),
  z.object({ status: z.literal('nothing-pending'), network: NetworkName, lastOutcome: z.enum(['confirmed', 'rolled-back']).optional() }),
]);
export type BridgedResolveResult = z.infer<typeof BridgedResolveResult>;

/** one bridge to the LAN as `kvmnet bridges` shows it */
export const BridgedEntry = z.object({
  name: z.string(),
  uplink: z.string(),
  bridge: z.string(),
  persistence: BridgedPersistence,
  state: z.enum(['active', 'pending-create', 'pending-delete']),
  deadline: z.string().optional(),
  overdue: z.boolean().optional(),
});
export type BridgedEntry = z.infer<typeof BridgedEntry>;

export const BridgedList = z.object({ bridges: z.array(BridgedEntry) });
export type BridgedList = z.infer<typeof BridgedList>;

export const BridgedDeleteResult = z.discriminatedUnion('status', [
  z.object({ status: z.literal('deleted'), network: NetworkName, run: RunResult, checks: z.array(z.string()) }),
  z.object({ status: z.literal('verify-failed'), network: NetworkName, run: RunResult, failure: z.string(), rollback: RunResult }),
  z.object({ status: z.literal('failed'), network: NetworkName, run: RunResult }),
  z.object({ status: z.literal('unknown'), network: z.string(), message: z.string() }),
]);
export type BridgedDeleteResult = z.infer<typeof BridgedDeleteResult>;

/** per-step progress; phase tells the apply from the rollback a failed check runs after it */
export const BridgedProgress = RunProgress.extend({ phase: z.enum(['apply', 'rollback', 'resolve']) });
export type BridgedProgress = z.infer<typeof BridgedProgress>;
