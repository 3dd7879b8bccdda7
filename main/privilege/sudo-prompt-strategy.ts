import { constants, openSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { exec as sudoPromptExec } from 'sudo-prompt';
import { execa } from 'execa';
import type { ElevationStrategy } from './elevation-strategy';
import type { HelperConnection, HelperExit } from './helper-connection';
import type { HelperLocation } from './helper-location';
import { sudoPromptCommand } from './sudo-prompt-command';

export type SudoPromptExec = (
  command: string,
  options: { name: string },
  callback: (error?: Error & { code?: unknown; signal?: unknown }, stdout?: string | Buffer, stderr?: string | Buffer) => void,
) => void;

export interface SudoPromptOptions {
  /** sudo-prompt's exec; tests pass a stand-in for the password dialog */
  exec?: SudoPromptExec;
  /** where the per-session FIFO directory is made; XDG_RUNTIME_DIR (a 0700 tmpfs of the user) by default */
  baseDir?: string;
}

function defaultBaseDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime && isAbsolute(runtime) ? runtime : tmpdir();
}

/** A FIFO opened read-write never blocks on open (Linux), whichever side shows up first. */
function openFifo(path: string, direction: 'to-helper' | 'from-helper'): Socket {
  const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  return new Socket({ fd, readable: direction === 'from-helper', writable: direction === 'to-helper' });
}

/**
 * AppImage and development builds have no polkit action of their own, so sudo-prompt shows the
 * generic dialog. sudo-prompt cannot stream the child's stdio (it buffers until exit), so the
 * helper's stdin/stdout are two FIFOs in a fresh 0700 directory of ours: only we (and root) can
 * open them, nothing listens on a socket, and the helper needs no special mode. Because we hold
 * both FIFOs read-write, the helper's exit is learned from sudo-prompt's callback, not from EOF;
 * closing our end of the input FIFO still gives the helper EOF, so it exits as usual.
 * From an AppImage, root runs the AppImage file on a copy of the helper script in that directory
 * (see HelperLocation.appImage); the copy goes away with the directory.
 */
export function sudoPromptStrategy(location: HelperLocation, options: SudoPromptOptions = {}): ElevationStrategy {
  const exec: SudoPromptExec = options.exec ?? (sudoPromptExec as SudoPromptExec);
  return {
    method: 'sudo-prompt',
    async launch(): Promise<HelperConnection> {
      const dir = await mkdtemp(join(options.baseDir ?? defaultBaseDir(), 'kvmnet-helper-'));
      try {
        const paths = {
          runtime: location.appImage ?? location.runtime,
          script: location.appImage ? join(dir, 'kvmnet-helper.cjs') : location.script,
          input: join(dir, 'to-helper'),
          output: join(dir, 'from-helper'),
        };
        const command = sudoPromptCommand(paths);
        if (location.appImage) await copyFile(location.script, paths.script);
        await execa('mkfifo', ['-m', '600', '--', paths.input, paths.output]);
        const input = openFifo(paths.input, 'to-helper');
        const output = openFifo(paths.output, 'from-helper');
        const exited = new Promise<HelperExit>((resolve) => {
          exec(command, { name: 'KVMNet' }, (error, _stdout, stderr) => {
            input.destroy();
            output.destroy();
            void rm(dir, { recursive: true, force: true });
            resolve({
              code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
              signal: typeof error?.signal === 'string' ? error.signal : null,
              stderr: String(stderr ?? '').trim().slice(-8192),
              ...(error ? { message: error.message } : {}),
            });
          });
        });
        return { input, output, exited };
      } catch (e) {
        await rm(dir, { recursive: true, force: true });
        throw e;
      }
    },
  };
}
