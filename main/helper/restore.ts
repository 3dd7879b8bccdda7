import { isDirectActive, type PlanContext } from '../core/plan/plan-context';
import type { ApplyOutcome } from './apply';
import type { Plan } from './protocol';
import type { NetworkRecord } from '../core/network/network-record';

/** What happened to one recorded network at boot. */
export interface RestoreReport {
  network: string;
  outcome: 'restored' | 'already-up' | 'skipped' | 'failed';
  message: string;
}

export interface RestoreDeps {
  readRecords(): Promise<{ records: NetworkRecord[]; problems: string[] }>;
  /** the planner's view of the host, read again before each network (the one before may have turned ip_forward on) */
  readContext(records: readonly NetworkRecord[]): Promise<PlanContext>;
  /** the plan that brings a stopped direct network up (the planner's planStart) */
  planUp(record: NetworkRecord, context: PlanContext): Plan;
  apply(plan: Plan): Promise<ApplyOutcome>;
}

/**
 * `kvmnet-helper --restore`, run by the boot unit: brings up every recorded direct network that
 * has autostart, one plan per network, so one that fails (and rolls back) does not keep the
 * others down. Networks whose bridge is already there are left alone.
 */
export async function restoreNetworks(deps: RestoreDeps, log: (line: string) => void): Promise<RestoreReport[]> {
  const { records, problems } = await deps.readRecords();
  for (const problem of problems) log(problem);
  const reports: RestoreReport[] = [];
  for (const record of records) {
    const network = record.spec.name;
    const report = (outcome: RestoreReport['outcome'], message: string) => {
      reports.push({ network, outcome, message });
      log(`${network}: ${message}`);
    };
    if (record.spec.backend !== 'direct') {
      report('skipped', 'not a direct network: libvirt brings its own networks back');
      continue;
    }
    if (!record.spec.autostart) {
      report('skipped', 'autostart is off; left down');
      continue;
    }
    try {
      const context = await deps.readContext(records);
      if (isDirectActive(record, context.snapshot)) {
        report('already-up', `already up (bridge ${record.spec.bridge} exists)`);
        continue;
      }
      const outcome = await deps.apply(deps.planUp(record, context));
      if (outcome.ok) report('restored', `up again (${outcome.result.applied} steps)`);
      else report('failed', outcome.error.message);
    } catch (e) {
      report('failed', `could not be restored: ${(e as Error).message}`);
    }
  }
  return reports;
}
