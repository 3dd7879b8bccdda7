import type { ErrorCode, Step, StepOp } from '../protocol';
import type { LinkMap } from '../link-facts';
import type { Undo } from '../undo';

export type StepOf<K extends StepOp> = Extract<Step, { op: K }>;
export type IpStepOp = Exclude<StepOp, 'sysctl.set'>;
export type IpStep = StepOf<IpStepOp>;

/** Why a step may not run; `field` is relative to the step (name, master, dev, key …). */
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
