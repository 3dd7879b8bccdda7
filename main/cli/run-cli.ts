import { CommanderError } from 'commander';
import type { NetworkEngine } from '../engine/engine';
import type { CliIo } from './cli-io';
import { CliExit } from './cli-exit';
import { ExitCode } from './exit-codes';
import { createProgram } from './program';

/** Runs one command line and says how it ended; it never exits the process itself. */
export async function runCli(argv: readonly string[], io: CliIo, engine?: NetworkEngine): Promise<ExitCode> {
  try {
    await createProgram(io, engine).parseAsync([...argv], { from: 'user' });
    return ExitCode.Done;
  } catch (e) {
    if (e instanceof CliExit) return e.code;
    // commander has already printed its message (unknown command or option, missing value …);
    // it exits 0 only for help and version output that was asked for
    if (e instanceof CommanderError) return e.exitCode === 0 ? ExitCode.Done : ExitCode.BadInput;
    io.stderr.write(`kvmnet: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.Failed;
  }
}
