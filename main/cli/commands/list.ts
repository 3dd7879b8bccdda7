import type { Command } from 'commander';
import type { NetworkEngine } from '../../engine/engine';
import type { CliIo } from '../cli-io';
import { formatNetworkList } from '../format-network';
import { readBridgedStatus } from '../../engine/bridged/bridged-state';
import { formatBridges } from './bridges';

export function registerList(program: Command, io: CliIo, engine: NetworkEngine): void {
  program
    .command('list')
    .description("list KVMNet's networks and libvirt's (those KVMNet did not create are read-only)")
    .option('--json', 'print the networks as a JSON array')
    .action(async (options: { json?: boolean }) => {
      const state = await engine.readState();
      for (const problem of state.problems) io.stderr.write(`kvmnet: warning: ${problem}\n`);
      io.stdout.write(options.json ? `${JSON.stringify(state.listing, null, 2)}\n` : formatNetworkList(state.listing));
      // bridges to the LAN, with the countdown of a change waiting for confirmation (kvmnet bridges --json has them as JSON)
      const bridges = options.json ? [] : await readBridgedStatus();
      if (bridges.length > 0) io.stdout.write(`\nBridges to the LAN:\n${formatBridges(bridges)}`);
    });
}
