import type { Command } from 'commander';
import { hostBridgedEngine } from '../../engine/bridged/bridged-engine';
import { confirmBridged, rollBackBridged } from '../../engine/bridged/confirm-bridged';
import type { CliIo } from '../cli-io';
import { CliExit } from '../cli-exit';
import { ExitCode } from '../exit-codes';
import { bridgedHooks, failWith } from '../bridged-cli';

/** `kvmnet confirm <name>` keeps a bridge change that waits; `--rollback` undoes it now. Works from any terminal. */
export function registerConfirm(program: Command, io: CliIo): void {
  program
    .command('confirm')
    .description('keep a bridge-to-LAN change that waits for confirmation (kvmnet bridges shows the countdown)')
    .argument('<name>', 'the bridged network')
    .option('--rollback', 'undo the change now instead of keeping it')
    .action(async (name: string, options: { rollback?: boolean }) => {
      const outcome = await (options.rollback ? rollBackBridged : confirmBridged)(name, hostBridgedEngine, bridgedHooks(io));
      if (outcome.status === 'nothing-pending') {
        io.stderr.write(`kvmnet: no change of network ${name} waits for confirmation${outcome.lastOutcome ? `: the last one was ${outcome.lastOutcome}` : ''}\n`);
        throw new CliExit(ExitCode.BadInput);
      }
      if (outcome.status === 'expired') {
        io.stderr.write(`kvmnet: too late: the change of network ${name} had to be confirmed by ${outcome.pending.deadline}; ${outcome.rollback.status === 'done' ? 'it has been rolled back' : 'rolling it back did not finish'}\n`);
        throw new CliExit(outcome.rollback.status === 'done' ? ExitCode.Failed : ExitCode.RollbackIncomplete);
      }
      if (outcome.status === 'failed') failWith(io, outcome.outcome, { steps: outcome.pending.commit.length ? outcome.pending.commit : [{ op: 'pending.claim', network: name, armId: outcome.pending.armId }] });
      io.stdout.write(options.rollback ? `network ${name}: rolled back\n` : `network ${name}: confirmed; ${outcome.pending.action === 'create' ? `${outcome.pending.uplink} stays bridged as ${outcome.pending.bridge}` : `${outcome.pending.bridge} is gone`}\n`);
    });
}
