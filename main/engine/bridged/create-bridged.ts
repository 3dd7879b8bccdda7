import { randomUUID } from 'node:crypto';
import type { BridgedRecord } from '../../core/bridge-to-lan/bridged-record';
import type { NmUplink } from '../../core/bridge-to-lan/nm-profile';
import { rollbackPlan } from '../../core/bridge-to-lan/pending-plans';
import { planNetworkdCreate, planNmCreate, planRuntimeCreate, type BridgedPlan } from '../../core/bridge-to-lan/plan-bridged';
import { linkOwners, uplinkEligibility, type UplinkAlternative } from '../../core/bridge-to-lan/uplink-eligibility';
import { networkdFileNames } from '../../core/bridge-to-lan/networkd-files';
import { KvmnetError } from '../../core/kvmnet-error';
import { CreateBridgedRequest, DEFAULT_CONFIRM_TIMEOUT_S } from '../../core/bridge-to-lan/create-bridged-request';
import type { PendingChange } from '../../core/bridge-to-lan/bridged-steps';
import { readAddressing } from '../../helper/uplink-placement';
import { managedDevice, readNetworkManager } from '../../host/network-manager/devices';
import { readUplink } from '../../host/network-manager/uplink-profile';
import type { RunOutcome } from '../run-plan';
import { networkdDns, resolvConfServers, type BridgedEngine, type BridgedHooks } from './bridged-engine';
import { readBridgedRecords } from './bridged-state';
import { verifyLanLink, type VerifyResult } from './verify-bridge';

export { CreateBridgedRequest, DEFAULT_CONFIRM_TIMEOUT_S };

export type CreateBridgedOutcome =
  /** bad input or an uplink that cannot be bridged: nothing changed */
  | { status: 'refused'; field: string; message: string; alternatives?: readonly UplinkAlternative[] }
  /** the apply failed and was rolled back (or not entirely: see outcome) */
  | { status: 'failed'; plan: BridgedPlan; outcome: Exclude<RunOutcome, { status: 'done' }> }
  /** applied, but the checks failed: rolled back at once */
  | { status: 'verify-failed'; plan: BridgedPlan; verification: VerifyResult; rollback: RunOutcome }
  /** applied and verified: it waits for confirmation until pending.deadline */
  | { status: 'pending'; plan: BridgedPlan; pending: PendingChange; record: BridgedRecord; verification: VerifyResult; warnings: string[] };

export interface PreparedCreate {
  readonly plan: BridgedPlan;
  readonly warnings: string[];
  /** what the checks compare with after the change */
  readonly dnsBefore: readonly string[];
  readonly readDns: () => Promise<readonly string[]>;
}

/** how long the checks may take: the rest of the countdown is the user's */
const verifyBudgetMs = (timeoutSeconds: number): number => Math.min(30_000, (timeoutSeconds - 10) * 1000);

const nmDns = (uplink: NmUplink): string[] => [...uplink.active.ipv4.dns, ...uplink.active.ipv6.dns];

/**
 * Everything that can be known before a change, turned into the plan: the request checked, the
 * uplink judged (Wi-Fi refused with why and what works instead), and who manages it
 * (NetworkManager, systemd-networkd, else the kernel alone). Throws KvmnetError('BAD_REQUEST') naming the field.
 */
export async function prepareCreateBridged(input: CreateBridgedRequest, engine: BridgedEngine): Promise<PreparedCreate> {
  const parsed = CreateBridgedRequest.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || 'request';
    throw new KvmnetError('BAD_REQUEST', `${field}: ${issue.message}`, field);
  }
  const request = parsed.data;
  const bridgeName = request.bridge ?? `br-${request.name}`.slice(0, 15).replace(/[-_.]+$/, '');
  const snapshot = await engine.readSnapshot();
  const link = snapshot.links.find((l) => l.name === request.uplink);
  if (!link) throw new KvmnetError('BAD_REQUEST', `uplink: there is no interface ${request.uplink}; pick the NIC that connects this host to the LAN (kvmnet status lists them)`, 'uplink');
  const records = await readBridgedRecords();
  const eligibility = uplinkEligibility(link, linkOwners(snapshot.links, records));
  if (!eligibility.eligible) throw Object.assign(new KvmnetError('UPLINK_NOT_BRIDGEABLE', eligibility.reason, 'uplink'), { alternatives: eligibility.alternatives });
  if (snapshot.links.some((l) => l.name === bridgeName)) throw new KvmnetError('BAD_REQUEST', `bridge: an interface named ${bridgeName} exists already; pick another name with --bridge`, 'bridge');
  if (records.some((r) => r.name === request.name)) throw new KvmnetError('BAD_REQUEST', `name: a bridge to the LAN named ${request.name} exists already; pick another name or delete it first`, 'name');
  const taken = records.find((r) => r.uplink === request.uplink);
  if (taken) throw new KvmnetError('BAD_REQUEST', `uplink: ${request.uplink} is bridged already by network ${taken.name}`, 'uplink');

  const timing = { now: new Date(engine.now()).toISOString(), confirmTimeoutSeconds: request.confirmTimeoutSeconds, armId: `${engine.now()}-${randomUUID().slice(0, 8)}` };
  const nm = await readNetworkManager(engine.read);
  const device = managedDevice(nm, request.uplink);
  if (device) {
    if (!device.connection) throw new KvmnetError('BAD_REQUEST', `uplink: NetworkManager manages ${request.uplink} but runs no profile on it; connect it first`, 'uplink');
    const uplink = await readUplink(request.uplink, engine.read);
    const plan = planNmCreate({ ...timing, name: request.name, uplink, bridgeName, bridgeUuid: randomUUID(), portUuid: randomUUID() });
    return {
      plan,
      warnings: [],
      dnsBefore: nmDns(uplink),
      readDns: async () => nmDns(await readUplink(bridgeName, engine.read)),
    };
  }
  const uplinkAddressing = () => readAddressing({ runTool: async (tool, args) => ({ exitCode: 0, stdout: await engine.read(tool, args), stderr: '' }) }, request.uplink, request.uplink);
  const networkd = await engine.readNetworkdLink(link.index);
  if (networkd.managed) {
    if (!networkd.networkFile) throw new KvmnetError('BAD_REQUEST', `uplink: systemd-networkd manages ${request.uplink} without a .network file KVMNet could carry over to the bridge`, 'uplink');
    // the files the helper will write, checked here so that a name clash is refused before anything changes
    networkdFileNames(bridgeName, request.uplink);
    return {
      plan: planNetworkdCreate({ ...timing, name: request.name, bridgeName, addressing: await uplinkAddressing() }),
      warnings: [],
      dnsBefore: networkd.dns,
      readDns: () => networkdDns(engine, bridgeName),
    };
  }
  const addressing = await uplinkAddressing();
  const resolvBefore = await engine.readResolvConf();
  return {
    plan: planRuntimeCreate({ ...timing, name: request.name, bridgeName, addressing }),
    warnings: [
      `${nm.running ? `NetworkManager does not manage ${request.uplink}` : 'NetworkManager is not running'}, nor does systemd-networkd: the bridge is made in the kernel only and will NOT survive a reboot`,
      ...(addressing.addresses.some((a) => a.validLft !== 'forever') ? [`${request.uplink} has addresses with a lease time: restart your DHCP client on ${bridgeName} so it renews the lease there`] : []),
    ],
    dnsBefore: resolvConfServers(resolvBefore),
    readDns: async () => resolvConfServers(await engine.readResolvConf()),
  };
}

/**
 * Bridges the uplink to the LAN the way nmstate and `netplan try` change a host's network:
 * checkpoint, apply, verify (the gateway answers from the bridge, DNS survived), then wait for
 * confirmation; a failed check rolls back at once, and an unconfirmed change rolls back by itself
 * at its deadline even if this process dies (NetworkManager's checkpoint, the helper's timer).
 */
export async function createBridged(input: CreateBridgedRequest, engine: BridgedEngine, hooks: BridgedHooks): Promise<CreateBridgedOutcome> {
  let prepared: PreparedCreate;
  try {
    prepared = await prepareCreateBridged(input, engine);
  } catch (e) {
    if (e instanceof KvmnetError && ['BAD_REQUEST', 'UPLINK_NOT_BRIDGEABLE'].includes(e.code)) {
      const alternatives = (e as KvmnetError & { alternatives?: readonly UplinkAlternative[] }).alternatives;
      return { status: 'refused', field: e.field ?? 'request', message: e.message, ...(alternatives ? { alternatives } : {}) };
    }
    throw e;
  }
  const { plan } = prepared;
  hooks.onPlan?.(plan.plan);
  const outcome = await engine.run(plan.plan, hooks.onProgress, hooks.log);
  if (outcome.status !== 'done') return { status: 'failed', plan, outcome };

  const verification = await verifyLanLink({
    dev: plan.record.bridge,
    budgetMs: verifyBudgetMs(plan.pending.deadline ? (Date.parse(plan.pending.deadline) - Date.parse(plan.pending.createdAt)) / 1000 : 60),
    dnsBefore: prepared.dnsBefore,
    readDns: prepared.readDns,
  }, engine.read);
  if (!verification.ok) {
    const rollback = await engine.run(rollbackPlan(plan.pending, `check failed: ${verification.failure}`), hooks.onProgress, hooks.log);
    return { status: 'verify-failed', plan, verification, rollback };
  }
  return { status: 'pending', plan, pending: plan.pending, record: plan.record, verification, warnings: prepared.warnings };
}
