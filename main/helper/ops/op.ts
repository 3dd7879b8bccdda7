import type { ErrorCode, Step, StepOp } from '../protocol';
import type { HostIo } from '../host-io';
import type { LinkMap } from '../link-facts';
import type { PlanState } from '../plan-state';
import type { Undo } from '../undo';

export type StepOf<K extends StepOp> = Extract<Step, { op: K }>;

/**
 * Families that act on something other than links: each runs as a step of its own, with its own
 * tool or files, and reads the host itself to compute its inverse just before it runs.
 */
export const HOST_STEP_OPS = [
  'nft.network',
  'dnsmasq.start',
  'dnsmasq.stop',
  'libvirt.define',
  'libvirt.undefine',
  'libvirt.start',
  'libvirt.stop',
  'libvirt.autostart',
  'record.write',
  'record.delete',
  'boot.unit',
  'nm.managed',
  'nm.checkpoint.create',
  'nm.checkpoint.rollback',
  'nm.checkpoint.destroy',
  'nm.connection.add',
  'nm.connection.up',
  'nm.connection.down',
  'nm.connection.delete',
  'uplink.bridge',
  'uplink.unbridge',
  'bridged.record',
  'pending.arm',
  'pending.claim',
  'pending.outcome',
  'libvirt.attachTap',
  'libvirt.attachInterface',
  'libvirt.detachInterface',
  'dnsmasq.hosts',
  'libvirt.dhcpHost',
  'boot.forwardsUnit',
  'networkd.bridge',
  'networkd.unbridge',
] as const satisfies readonly StepOp[];
export type HostStepOp = (typeof HOST_STEP_OPS)[number];
export type HostStep = StepOf<HostStepOp>;

export const isHostStep = (step: Step): step is HostStep => (HOST_STEP_OPS as readonly string[]).includes(step.op);

export type IpStepOp = Exclude<StepOp, 'sysctl.set' | HostStepOp>;
export type IpStep = StepOf<IpStepOp>;

/** Why a step may not run; `field` is relative to the step (name, master, dev, key, spec.bridge …). */
export interface Refusal {
  code: Extract<ErrorCode, 'NOT_OWNED' | 'NOT_ALLOWED' | 'INVALID_REQUEST'>;
  field: string;
  message: string;
}

export interface LineContext {
  /** a fresh MAC for each bridge created (see bridge-mac.ts) */
  bridgeMac(): string;
}

/** One family of steps that `ip -batch` runs. Everything but `lines` reads the state the plan has reached. */
export interface IpOp<K extends IpStepOp> {
  check(step: StepOf<K>, links: LinkMap): Refusal | undefined;
  /** the state after the step succeeds, as far as later steps of the plan care */
  simulate(step: StepOf<K>, links: LinkMap): LinkMap;
  /** what restores the state `links` describes, whether the step then succeeds, fails or is cut short */
  inverse(step: StepOf<K>, links: LinkMap): Undo[];
  lines(step: StepOf<K>, context: LineContext): string[];
}

/** One family of host steps. check and simulate read the state the plan has reached; nothing has run yet. */
export interface HostOp<K extends HostStepOp> {
  check(step: StepOf<K>, state: PlanState): Refusal | undefined;
  /** the state after the step succeeds, as far as later steps of the plan care */
  simulate(step: StepOf<K>, state: PlanState): PlanState;
  /**
   * Read from the host just before the step runs: what restores the host as it is now, whether the
   * step then succeeds, fails or is cut short. Throws when that cannot be known; the step then never runs.
   */
  inverse(step: StepOf<K>, io: HostIo): Promise<Undo[]>;
  /** does the step; throws with the reason when the host refuses. Resolves with a note for the progress event. */
  run(step: StepOf<K>, io: HostIo): Promise<string | undefined>;
}
