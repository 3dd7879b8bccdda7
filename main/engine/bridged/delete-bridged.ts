import { randomUUID } from 'node:crypto';
import { confirmPlan, rollbackPlan } from '../../core/bridge-to-lan/pending-plans';
import { planNetworkdDelete, planNmDelete, planRuntimeDelete, type BridgedPlan } from '../../core/bridge-to-lan/plan-bridged';
import { NetworkName } from '../../core/names';
import { readUplink } from '../../host/network-manager/uplink-profile';
import type { RunOutcome } from '../run-plan';
import { networkdDns, resolvConfServers, type BridgedEngine, type BridgedHooks } from './bridged-engine';
import { readBridgedRecord, readPending } from './bridged-state';
import { verifyLanLink, type VerifyResult } from './verify-bridge';

/** the removal is checked and committed by KVMNet itself; the checkpoint only guards against dying half-way */
const DELETE_GUARD_S = 60;

export type DeleteBridgedOutcome =
  | { status: 'unknown'; message: string }
  | { status: 'failed'; plan: BridgedPlan; outcome: Exclude<RunOutcome, { status: 'done' }> }
  | { status: 'verify-failed'; plan: BridgedPlan; verification: VerifyResult; rollback: RunOutcome }
  | { status: 'deleted'; plan: BridgedPlan; verification: VerifyResult; commit: RunOutcome };

/** Whether `name` is a bridge to the LAN (the CLI's delete serves both kinds of network). */
export const isBridged = async (name: string): Promise<boolean> =>
  NetworkName.safeParse(name).success && ((await readBridgedRecord(name)) !== undefined || (await readPending(name)) !== undefined);

/**
 * Takes a bridge to the LAN away and gives the uplink back what it had: through NetworkManager the
 * user's own profile again (KVMNet's two profiles deleted), through networkd the user's own .network
 * again (KVMNet's files removed), else the bridge's addresses, routes and
 * MAC back on the NIC. Guarded like a create: if the uplink's gateway does not answer afterwards,
 * the bridge comes back.
 */
export async function deleteBridged(name: string, engine: BridgedEngine, hooks: BridgedHooks): Promise<DeleteBridgedOutcome> {
  if (await readPending(name)) return { status: 'unknown', message: `network ${name} waits for confirmation: confirm it (kvmnet confirm ${name}) or let it roll back first` };
  const record = await readBridgedRecord(name);
  if (!record) return { status: 'unknown', message: `there is no bridge to the LAN named ${name}` };
  const timing = { now: new Date(engine.now()).toISOString(), confirmTimeoutSeconds: DELETE_GUARD_S, armId: `${engine.now()}-${randomUUID().slice(0, 8)}` };
  let dnsBefore: string[];
  let readDns: () => Promise<string[]>;
  let plan: BridgedPlan;
  if (record.persistence === 'networkmanager') {
    const nmDns = async (dev: string) => {
      const u = await readUplink(dev, engine.read);
      return [...u.active.ipv4.dns, ...u.active.ipv6.dns];
    };
    dnsBefore = await nmDns(record.bridge).catch(() => []);
    readDns = () => nmDns(record.uplink);
    plan = planNmDelete(record, timing);
  } else if (record.persistence === 'systemd-networkd') {
    dnsBefore = await networkdDns(engine, record.bridge);
    readDns = () => networkdDns(engine, record.uplink);
    plan = planNetworkdDelete(record, timing);
  } else {
    dnsBefore = resolvConfServers(await engine.readResolvConf());
    readDns = async () => resolvConfServers(await engine.readResolvConf());
    plan = planRuntimeDelete(record, timing);
  }
  hooks.onPlan?.(plan.plan);
  const outcome = await engine.run(plan.plan, hooks.onProgress, hooks.log);
  if (outcome.status !== 'done') return { status: 'failed', plan, outcome };
  const verification = await verifyLanLink({ dev: record.uplink, budgetMs: 30_000, dnsBefore, readDns }, engine.read);
  if (!verification.ok) {
    const rollback = await engine.run(rollbackPlan(plan.pending, `check failed: ${verification.failure}`), hooks.onProgress, hooks.log);
    return { status: 'verify-failed', plan, verification, rollback };
  }
  const commit = await engine.run(confirmPlan(plan.pending), hooks.onProgress, hooks.log);
  return { status: 'deleted', plan, verification, commit };
}
