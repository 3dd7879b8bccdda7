import type { Command } from 'commander';
import { planStop } from '../../core/plan/network-plans';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { findNetwork } from '../find-network';
import { runReported } from '../report-run';

export function registerStop(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('stop')
    .description('stop a KVMNet network; it stays defined and can be started again')
    .argument('<name>', 'the network, as kvmnet list shows it')
    .action(async (name: string) => {
      const state = await engine.readState();
      const plan = planStop(findNetwork(io, state, name));
      if (plan.steps.length === 0) {
        io.stdout.write(`network ${name} is not running\n`);
        return;
      }
      await runReported({ io, engine, plan, json: false, done: { text: `stopped network ${name}`, json: {} } });
    });
}
