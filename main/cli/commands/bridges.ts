import type { Command } from 'commander';
import { readBridgedStatus, type BridgedStatus } from '../../engine/bridged/bridged-state';
import type { CliIo } from '../cli-io';
import { formatTable } from '../format-table';
import { clock } from '../bridged-cli';

const STATE_WORDS = { active: 'active', 'pending-create': 'waiting for confirmation', 'pending-delete': 'removal waiting' } as const;

export const formatBridges = (bridges: readonly BridgedStatus[]): string =>
  `${formatTable([['NAME', 'UPLINK', 'BRIDGE', 'KEPT BY', 'STATE'], ...bridges.map((b) => [
    b.name, b.uplink, b.bridge, b.persistence === 'runtime' ? 'nobody (gone at reboot)' : b.persistence,
    b.overdue ? `not confirmed by ${clock(b.deadline!)} UTC: rolled back or about to be` : b.deadline ? `${STATE_WORDS[b.state]} until ${clock(b.deadline)} UTC (${b.secondsLeft} s)` : STATE_WORDS[b.state],
  ])]).join('\n')}\n`;

/** `kvmnet bridges`: every bridge to the LAN, and the countdown of a change that waits for confirmation. */
export function registerBridges(program: Command, io: CliIo): void {
  program
    .command('bridges')
    .description('list bridges to the LAN and changes waiting for confirmation')
    .option('--json', 'print them as a JSON array')
    .action(async (options: { json?: boolean }) => {
      const bridges = await readBridgedStatus();
      if (options.json) {
        io.stdout.write(`${JSON.stringify(bridges.map(({ record: _record, ...b }) => b), null, 2)}\n`);
        return;
      }
      if (bridges.length === 0) {
        io.stdout.write('no bridges to the LAN (kvmnet create bridged <name> --uplink <nic> makes one)\n');
        return;
      }
      io.stdout.write(formatBridges(bridges));
    });
}
