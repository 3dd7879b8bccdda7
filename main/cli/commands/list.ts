import type { Command } from 'commander';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { formatNetworkList } from '../format-network';

export function registerList(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('list')
    .description("list KVMNet's networks and libvirt's (those KVMNet did not create are read-only)")
    .option('--json', 'print the networks as a JSON array')
    .action(async (options: { json?: boolean }) => {
      const state = await engine.readState();
      for (const problem of state.problems) io.stderr.write(`kvmnet: warning: ${problem}\n`);
      io.stdout.write(options.json ? `${JSON.stringify(state.listing, null, 2)}\n` : formatNetworkList(state.listing));
    });
}
