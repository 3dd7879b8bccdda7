import type { Command } from 'commander';
import { planStart } from '../../core/plan/network-plans';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { findNetwork } from '../find-network';
import { runReported } from '../report-run';

export function registerStart(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('start')
    .description('start a KVMNet network that is stopped')
    .argument('<name>', 'the network, as kvmnet list shows it')
    .action(async (name: string) => {
      const state = await engine.readState();
      const plan = planStart(findNetwork(io, state, name), state.plan);
      if (plan.steps.length === 0) {
        io.stdout.write(`network ${name} is already running\n`);
        return;
      }
      await runReported({ io, engine, plan, json: false, done: { text: `started network ${name}`, json: {} } });
    });
}
