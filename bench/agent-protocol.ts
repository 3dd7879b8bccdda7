import { z } from 'zod';

/**
 * What bench/main.ts asks the agent that runs inside the lab, and what it answers: one JSON object
 * per line each way. Timing happens in the agent, so every contender's processes start in the lab
 * directly (no nsenter per command) and the figures hold only the contender's own work.
 */

export const CONTENDERS = ['kvmnet-app', 'kvmnet-cli', 'kvmnet-engine', 'hand-typed', 'batch-script', 'virsh'] as const;
export const Contender = z.enum(CONTENDERS);
export type Contender = z.infer<typeof Contender>;

export const Action = z.enum(['create', 'delete']);
export type Action = z.infer<typeof Action>;

export const AgentRequest = z.discriminatedUnion('kind', [
  /** the network every contender makes, as KVMNet plans it (dry run), and the files the others need */
  z.object({ kind: z.literal('prepare'), cliPath: z.string().min(1), helperPath: z.string().min(1), subnet: z.string().min(1), name: z.string().min(1) }),
  z.object({ kind: z.literal('measure'), contender: Contender, action: Action }),
  /** single commands timed alone (phases): `node kvmnet.cjs --help` (start-up and loading the bundle), the host reads */
  z.object({ kind: z.literal('probes') }),
  /** one untimed `kvmnet create/delete` under strace: the processes it starts and the fsyncs it makes (detail: a Trace) */
  z.object({ kind: z.literal('trace'), action: Action }),
]);

export const Trace = z.object({ execs: z.record(z.string(), z.number().int()), commands: z.array(z.string()), fsyncs: z.number().int() });
export type Trace = z.infer<typeof Trace>;
export type AgentRequest = z.infer<typeof AgentRequest>;

/** where a warm engine's time went: reading the host, and each step from its start to its outcome */
export const Phase = z.object({ name: z.string(), ms: z.number() });
export type Phase = z.infer<typeof Phase>;

export const AgentResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), ms: z.number(), processes: z.number().int(), phases: z.array(Phase).default([]), detail: z.string().default('') }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type AgentResponse = z.infer<typeof AgentResponse>;
