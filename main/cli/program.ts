import { Command } from 'commander';
import type { CliIo } from './cli-io';
import { registerStatus } from './commands/status';
import { EXIT_CODES_HELP } from './exit-codes';

/** Each command lives in commands/<name>.ts and adds itself to the program here. */
const COMMANDS: readonly ((program: Command, io: CliIo) => void)[] = [registerStatus];

export function createProgram(io: CliIo): Command {
  // settings made before the commands are added are inherited by every command
  const program = new Command('kvmnet')
    .description('Networking for local KVM/QEMU virtual machines: bridges, taps, NAT and libvirt networks.')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .exitOverride()
    .showSuggestionAfterError()
    .showHelpAfterError('(kvmnet --help lists the commands and their options)')
    .addHelpText('after', `\n${EXIT_CODES_HELP}`);
  for (const register of COMMANDS) register(program, io);
  return program;
}
