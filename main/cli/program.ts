import { Command } from 'commander';
import { hostEngine, type NetworkEngine } from '../engine/engine';
import type { CliIo } from './cli-io';
import { registerCreate } from './commands/create';
import { registerDoctor } from './commands/doctor';
import { registerDelete } from './commands/delete';
import { registerList } from './commands/list';
import { registerStart } from './commands/start';
import { registerStatus } from './commands/status';
import { registerStop } from './commands/stop';
import { registerAttach } from './commands/attach';
import { registerDetach } from './commands/detach';
import { registerForward } from './commands/forward';
import { registerReserve } from './commands/reserve';
import { registerLeases } from './commands/leases';
import { EXIT_CODES_HELP } from './exit-codes';
import { registerConfirm } from './commands/confirm';
import { registerBridges } from './commands/bridges';
import { registerMacvtap } from './commands/macvtap';
import { recoverBeforeChanges } from './recover-first';

/** Each command lives in commands/<name>.ts and adds itself to the program here. */
const COMMANDS: readonly ((program: Command, io: CliIo, engine: NetworkEngine) => void)[] = [
  registerStatus, registerList, registerCreate, registerDelete, registerStart, registerStop,
  registerDoctor,
  registerConfirm, registerBridges, registerMacvtap,
  registerAttach, registerDetach,
  registerForward, registerReserve, registerLeases,
];

export function createProgram(io: CliIo, engine: NetworkEngine = hostEngine): Command {
  // settings made before the commands are added are inherited by every command
  const program = new Command('kvmnet')
    .description('Networking for local KVM/QEMU virtual machines: bridges, taps, NAT and libvirt networks.')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .exitOverride()
    .showSuggestionAfterError()
    .showHelpAfterError('(kvmnet --help lists the commands and their options)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
  for (const register of COMMANDS) register(program, io, engine);
  recoverBeforeChanges(program, io, engine);
  return program;
}
