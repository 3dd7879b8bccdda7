import type { Command } from 'commander';
import { planStart } from '../../core/plan/network-plans';
import type { NetworkEngine } from '../../engine/engine';
import { routerAdvertisementIssues } from '../../core/plan/router-advertisements';
import { refuseInput } from '../bad-input';
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
      const network = findNetwork(io, state, name);
      if (network.backend === 'direct' && !network.active) {
        const issues = routerAdvertisementIssues(network.record.spec, state.plan);
        if (issues.length > 0) refuseInput(io, issues);
      }
      const plan = planStart(network, state.plan);
      if (plan.steps.length === 0) {
        io.stdout.write(`network ${name} is already running\n`);
        return;
      }
      await runReported({ io, engine, plan, json: false, done: { text: `started network ${name}`, json: {} } });
    });
}
