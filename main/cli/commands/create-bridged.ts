import { createBridged, prepareCreateBridged, DEFAULT_CONFIRM_TIMEOUT_S } from '../../engine/bridged/create-bridged';
import { hostBridgedEngine, type BridgedEngine } from '../../engine/bridged/bridged-engine';
import { waitForOutcome } from '../../engine/bridged/confirm-bridged';
import { KvmnetError } from '../../core/kvmnet-error';
import { renderPlanAsShell } from '../../core/render/plan-as-shell';
import type { CliIo } from '../cli-io';
import { CliExit } from '../cli-exit';
import { ExitCode } from '../exit-codes';
import { refuseInput } from '../bad-input';
import { bridgedHooks, clock, failWith, refuseUplink } from '../bridged-cli';

export interface CreateBridgedOptions {
  uplink?: string;
  bridge?: string;
  confirmTimeout?: string;
  /** false for --no-wait */
  wait?: boolean;
  dryRun?: boolean;
}

/** a rollback that NetworkManager or the timer started must have ended this long after the deadline */
const OUTCOME_SLACK_MS = 60_000;

/**
 * `kvmnet create bridged`: as `netplan try` does, the change is applied, checked, and then waits in
 * the foreground for `kvmnet confirm <name>` from another terminal (or the app); without it, it is
 * rolled back at the deadline, by NetworkManager's checkpoint or KVMNet's timer, even if this
 * process is killed. --no-wait returns as soon as the change waits.
 */
export async function runCreateBridged(io: CliIo, name: string, options: CreateBridgedOptions, engine: BridgedEngine = hostBridgedEngine): Promise<void> {
  if (options.uplink === undefined) refuseInput(io, [{ field: 'uplink', message: '--uplink is required for bridged: name the wired NIC that connects this host to the LAN, e.g. --uplink eth0' }]);
  const timeout = options.confirmTimeout === undefined ? DEFAULT_CONFIRM_TIMEOUT_S : Number(options.confirmTimeout);
  if (!Number.isInteger(timeout)) refuseInput(io, [{ field: 'confirmTimeout', message: `--confirm-timeout ${JSON.stringify(options.confirmTimeout)} is not a whole number of seconds; e.g. --confirm-timeout 120` }]);
  const request = { name, uplink: options.uplink, ...(options.bridge === undefined ? {} : { bridge: options.bridge }), confirmTimeoutSeconds: timeout };

  if (options.dryRun) {
    try {
      const prepared = await prepareCreateBridged(request, engine);
      for (const w of prepared.warnings) io.stderr.write(`kvmnet: warning: ${w}\n`);
      io.stdout.write(renderPlanAsShell(prepared.plan.plan));
      return;
    } catch (e) {
      if (!(e instanceof KvmnetError)) throw e;
      if (e.code === 'UPLINK_NOT_BRIDGEABLE') refuseUplink(io, name, options.uplink, e.message, (e as KvmnetError & { alternatives?: [] }).alternatives);
      if (e.code === 'BAD_REQUEST') refuseInput(io, [{ field: e.field ?? 'request', message: e.message }]);
      throw e;
    }
  }

  const outcome = await createBridged(request, engine, bridgedHooks(io));
  if (outcome.status === 'refused') {
    if (outcome.alternatives) refuseUplink(io, name, options.uplink, outcome.message, outcome.alternatives);
    refuseInput(io, [{ field: outcome.field, message: outcome.message }]);
  }
  if (outcome.status === 'failed') failWith(io, outcome.outcome, outcome.plan.plan);
  if (outcome.status === 'verify-failed') {
    io.stderr.write(`kvmnet: check failed: ${outcome.verification.failure}\n`);
    for (const c of outcome.verification.checks) io.stderr.write(`kvmnet:   ok: ${c}\n`);
    if (outcome.rollback.status !== 'done') failWith(io, outcome.rollback, outcome.plan.plan);
    io.stderr.write(`kvmnet: rolled back: ${outcome.plan.record.uplink} is as it was before\n`);
    throw new CliExit(ExitCode.Failed);
  }
  const { pending, verification } = outcome;
  for (const w of outcome.warnings) io.stderr.write(`kvmnet: warning: ${w}\n`);
  for (const c of verification.checks) io.stderr.write(`kvmnet: checked: ${c}\n`);
  const seconds = Math.round((Date.parse(pending.deadline) - engine.now()) / 1000);
  io.stderr.write(`kvmnet: waiting for confirmation: run \`kvmnet confirm ${name}\` before ${clock(pending.deadline)} UTC (${seconds} s), or the change is rolled back\n`);
  if (options.wait === false) {
    io.stdout.write(`network ${name}: ${pending.uplink} bridged as ${pending.bridge}, waiting for confirmation until ${pending.deadline}\n`);
    return;
  }
  const ended = await waitForOutcome(name, pending.armId, Date.parse(pending.deadline) + OUTCOME_SLACK_MS, engine.now);
  if (ended === 'confirmed') {
    io.stdout.write(`network ${name}: ${pending.uplink} is bridged to the LAN as ${pending.bridge} (confirmed)\n`);
    return;
  }
  io.stderr.write(ended === 'rolled-back'
    ? `kvmnet: not confirmed by ${clock(pending.deadline)} UTC: rolled back, ${pending.uplink} is as it was before\n`
    : `kvmnet: not confirmed by ${clock(pending.deadline)} UTC, and the rollback did not report back; kvmnet bridges shows where it stands\n`);
  throw new CliExit(ended === 'rolled-back' ? ExitCode.Failed : ExitCode.RollbackIncomplete);
}
