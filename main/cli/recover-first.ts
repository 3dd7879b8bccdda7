import type { Command } from 'commander';
import type { NetworkEngine } from '../engine/engine';
import type { CliIo } from './cli-io';

/**
 * Commands that only read the host (or print advice). Every other command may change it, so it
 * first has the engine roll back whatever an interrupted apply left behind: listed this way round,
 * a new command forgotten here costs a wait for the apply lock, never a plan made from a
 * half-applied host.
 */
const READ_ONLY = new Set(['status', 'list', 'bridges', 'leases', 'forward list', 'macvtap']);

/** "forward list" for the subcommand list of forward */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const mayChangeHost = (command: Command): boolean =>
  commandPath(command) === 'doctor' ? command.opts<{ fix?: unknown }>().fix !== undefined : !READ_ONLY.has(commandPath(command));

/**
 * Before a command that may change the host reads it: the journal recovery a helper runs when it
 * starts (a root CLI applies in-process and has no helper that would), said on stderr. Without it,
 * `kvmnet create bridged lan` retried after a kill -9 would find the record the killed apply wrote
 * and refuse the name as taken.
 */
export function recoverBeforeChanges(program: Command, io: CliIo, engine: NetworkEngine): void {
  const recover = engine.recoverInterrupted?.bind(engine);
  if (!recover) return;
  program.hook('preAction', async (_program, action) => {
    if (mayChangeHost(action)) await recover((line) => io.stderr.write(`kvmnet: ${line}\n`));
  });
}
