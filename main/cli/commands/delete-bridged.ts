import { hostBridgedEngine, type BridgedEngine } from '../../engine/bridged/bridged-engine';
import { deleteBridged } from '../../engine/bridged/delete-bridged';
import type { CliIo } from '../cli-io';
import { CliExit } from '../cli-exit';
import { ExitCode } from '../exit-codes';
import { bridgedHooks, failWith } from '../bridged-cli';

/** `kvmnet delete <name>` of a bridge to the LAN: the uplink gets back exactly what it had, checked, else the bridge stays. */
export async function runDeleteBridged(io: CliIo, name: string, engine: BridgedEngine = hostBridgedEngine): Promise<void> {
  const outcome = await deleteBridged(name, engine, bridgedHooks(io));
  if (outcome.status === 'unknown') {
    io.stderr.write(`kvmnet: ${outcome.message}\nkvmnet: nothing was changed\n`);
    throw new CliExit(ExitCode.BadInput);
  }
  if (outcome.status === 'failed') failWith(io, outcome.outcome, outcome.plan.plan);
  if (outcome.status === 'verify-failed') {
    io.stderr.write(`kvmnet: check failed after giving ${outcome.plan.record.uplink} back its addressing: ${outcome.verification.failure}\n`);
    if (outcome.rollback.status !== 'done') failWith(io, outcome.rollback, outcome.plan.plan);
    io.stderr.write(`kvmnet: rolled back: the bridge ${outcome.plan.record.bridge} is back\n`);
    throw new CliExit(ExitCode.Failed);
  }
  for (const c of outcome.verification.checks) io.stderr.write(`kvmnet: checked: ${c}\n`);
  if (outcome.commit.status !== 'done') failWith(io, outcome.commit, outcome.plan.plan);
  io.stdout.write(`deleted bridge ${outcome.plan.record.bridge} of network ${name}; ${outcome.plan.record.uplink} is back as it was\n`);
}
