import type { Plan } from '../helper/protocol';
import { readHostNetworkState, type HostNetworkState } from './host-network-state';
import { recoverBeforePlanning, runPlan, type RunOutcome, type StepProgress } from './run-plan';

/**
 * What the CLI (and later the app) needs from the host to manage networks: one read of its state,
 * and running a plan with root. Commands take it as a parameter, so their argument handling can
 * be tested on a described host.
 */
export interface NetworkEngine {
  readState(): Promise<HostNetworkState>;
  run(plan: Plan, onProgress: (event: StepProgress) => void, log: (line: string) => void): Promise<RunOutcome>;
  /** rolls back what an interrupted apply left, before a mutating command reads the host (see recover-first.ts) */
  recoverInterrupted?(log: (line: string) => void): Promise<void>;
}

export const hostEngine: NetworkEngine = {
  readState: readHostNetworkState,
  run: runPlan,
  recoverInterrupted: recoverBeforePlanning,
};
