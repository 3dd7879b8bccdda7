import { z } from 'zod';
import { NetworkName } from '../core/names';
import { NetworkKind, NetworkSpec } from '../core/network/network-spec';
import { Step, StepStatus } from '../helper/protocol';

/**
 * Payloads of the network channels (create, change and look at networks), kept apart from
 * channels.ts so the channel map stays a list of names.
 */

/** One network as the app lists it, KVMNet's or a foreign libvirt one (read-only). */
export const NetworkListing = z.object({
  name: z.string(),
  kind: NetworkKind.nullable(),
  backend: z.enum(['direct', 'libvirt']),
  bridge: z.string().nullable(),
  subnet: z.string().nullable(),
  gateway: z.string().nullable(),
  dhcp: z.object({ start: z.string(), end: z.string() }).nullable(),
  ipv6: z.string().nullable(),
  active: z.boolean(),
  autostart: z.boolean(),
  uplink: z.string().nullable(),
  managed: z.boolean(),
  readOnly: z.boolean(),
  forwardMode: z.string().optional(),
  /** routed with proxy ARP on the uplink: guests take a slice of its LAN */
  proxyArp: z.literal(true).optional(),
});
export type NetworkListing = z.infer<typeof NetworkListing>;

export const NetworkList = z.object({
  networks: z.array(NetworkListing),
  /** record files that could not be read, in plain words */
  problems: z.array(z.string()),
  libvirtAvailable: z.boolean(),
});
export type NetworkList = z.infer<typeof NetworkList>;

/**
 * A draft as the wizard has it. Only its outer shape is checked here: the field values are what
 * validateNetwork is for, so a wrong subnet comes back as a field issue, not as a refused call.
 */
export const DraftPayload = z.object({ draft: z.record(z.string(), z.unknown()) }).strict();

export const FieldIssue = z.object({ field: z.string(), message: z.string() });

export const DraftCheck = z.object({
  issues: z.array(FieldIssue),
  /** the draft completed with this host's defaults (free subnet, DHCP range, bridge, backend); null while it has issues */
  spec: NetworkSpec.nullable(),
});
export type DraftCheck = z.infer<typeof DraftCheck>;

export const PlanPreview = z.object({
  spec: NetworkSpec,
  steps: z.array(Step),
  /** the plan as commands a person could type (renderPlanAsShell) */
  shell: z.string(),
  /** the libvirt network definition, for the libvirt backend */
  xml: z.string().nullable(),
});
export type PlanPreview = z.infer<typeof PlanPreview>;

/** chosen by the renderer, so progress events that arrive before the call returns can be matched */
export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'runId must be 1–64 letters, digits, "_" or "-"');

export const CreateRequest = z.object({ runId: RunId, draft: z.record(z.string(), z.unknown()) }).strict();
export const NetworkRunRequest = z.object({ runId: RunId, name: NetworkName }).strict();
export const AutostartRequest = z.object({ runId: RunId, name: NetworkName, enabled: z.boolean() }).strict();
export const NetworkNameRequest = z.object({ name: NetworkName }).strict();

/**
 * How a change ended. `failed`: the step at failedIndex failed; the steps in rolledBack were
 * undone; `left` lists what could not be restored (empty: the host is as it was). `refused`:
 * the helper would not run the plan, nothing changed. `no-root`: no administrator rights.
 * `lost`: the helper stopped half-way; its journal is rolled back when it next starts.
 */
export const RunResult = z.object({
  status: z.enum(['done', 'nothing-to-do', 'failed', 'refused', 'no-root', 'lost']),
  steps: z.array(Step),
  failedIndex: z.number().int().optional(),
  reason: z.string().optional(),
  rolledBack: z.array(z.number().int()),
  left: z.array(z.string()),
});
export type RunResult = z.infer<typeof RunResult>;

export const RunProgress = z.object({
  runId: RunId,
  index: z.number().int(),
  total: z.number().int(),
  step: Step,
  status: StepStatus,
  message: z.string().optional(),
});
export type RunProgress = z.infer<typeof RunProgress>;

export const NetworkSnippets = z.object({
  mac: z.string(),
  tap: z.string().nullable(),
  qemu: z.string().nullable(),
  virtInstall: z.string(),
  libvirtXml: z.string(),
  qemuIfup: z.object({ name: z.string(), script: z.string() }).nullable(),
});

export const ExportedScript = z.object({ path: z.string().nullable() });
