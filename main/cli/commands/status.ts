import type { Command } from 'commander';
import type { HostSnapshot } from '../../core/host-snapshot';
import { LiveHostObserver } from '../../host/live-host-observer';
import { observeHost } from '../../host/observe';
import type { CliIo } from '../cli-io';
import { formatStatus } from '../format-status';
import { readBridgedStatus } from '../../engine/bridged/bridged-state';
import { formatBridges } from './bridges';

interface StatusOptions {
  json?: boolean;
  watch?: boolean;
}

const render = (snapshot: HostSnapshot, json: boolean, compact: boolean): string =>
  json ? `${JSON.stringify(snapshot, null, compact ? undefined : 2)}\n` : formatStatus(snapshot);

/** Prints the current state, then a fresh one after each burst of changes, until interrupted. */
async function watch(io: CliIo, json: boolean): Promise<void> {
  const observer = new LiveHostObserver();
  let lastTakenAt = '';
  // a change-triggered read can finish before the first read: never print an older state after a newer one
  const print = (snapshot: HostSnapshot): void => {
    if (snapshot.takenAt < lastTakenAt) return;
    lastTakenAt = snapshot.takenAt;
    io.stdout.write(render(snapshot, json, true) + (json ? '' : '\n'));
  };
  observer.subscribe(print);
  try {
    print(await observer.snapshot());
    await io.interrupted();
  } finally {
    await observer.close();
  }
}

export function registerStatus(program: Command, io: CliIo): void {
  program
    .command('status')
    .description('show interfaces, bridges and their ports, addresses, default routes and libvirt networks')
    .option('--json', 'print the host snapshot as JSON (with --watch: one JSON document a line)')
    .option('--watch', 'keep running and print the state again after each change (Ctrl-C stops)')
    .action(async (options: StatusOptions) => {
      const json = options.json === true;
      if (options.watch) await watch(io, json);
      else io.stdout.write(render(await observeHost(), json, false));
      // a bridge change waiting for confirmation is what a user checking the host most needs to see
      const bridges = options.watch || json ? [] : await readBridgedStatus();
      if (bridges.length > 0) io.stdout.write(`\nBridges to the LAN:\n${formatBridges(bridges)}`);
    });
}
