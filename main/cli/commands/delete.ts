import type { Command } from 'commander';
import { planDelete } from '../../core/plan/network-plans';
import { networkName, runningDirectSpecs } from '../../core/plan/plan-context';
import { renderPlanAsShell } from '../../core/render/plan-as-shell';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { findNetwork } from '../find-network';
import { runReported } from '../report-run';
import { isBridged } from '../../engine/bridged/delete-bridged';
import { runDeleteBridged } from './delete-bridged';

export function registerDelete(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('delete')
    .description('stop a KVMNet network and remove it with everything KVMNet made for it')
    .argument('<name>', 'the network, as kvmnet list shows it')
    .option('--dry-run', 'print the equivalent commands instead of changing anything')
    .action(async (name: string, options: { dryRun?: boolean }) => {
      if (await isBridged(name)) {
        await runDeleteBridged(io, name);
        return;
      }
      const state = await engine.readState();
      const network = findNetwork(io, state, name);
      const plan = planDelete(network, state.plan);
      if (options.dryRun) {
        io.stdout.write(renderPlanAsShell(plan, { nftNetworks: runningDirectSpecs(state.plan) }));
        return;
      }
      await runReported({ io, engine, plan, json: false, done: { text: `deleted network ${networkName(network)}`, json: {} } });
    });
}
