import type { ElevationStrategy } from './elevation-strategy';
import { spawnHelper, type HelperCommand } from './helper-connection';
import { PKEXEC_LAUNCHER_PATH } from './helper-location';

/**
 * Installed package: pkexec runs the fixed, root-owned launcher named by the polkit action
 * io.kvmnet.helper, so the dialog shows KVMNet's message and auth_admin_keep applies. The launcher
 * takes no arguments; pkexec clears the environment itself, so passing ours is harmless.
 * `--disable-internal-agent` keeps pkexec from prompting on the terminal Electron was started from.
 */
export function pkexecHelperCommand(env: NodeJS.ProcessEnv = process.env, launcher = PKEXEC_LAUNCHER_PATH): HelperCommand {
  const defined = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'));
  return { file: 'pkexec', args: ['--disable-internal-agent', launcher], env: defined };
}

export function pkexecStrategy(command: HelperCommand, onLog?: (line: string) => void): ElevationStrategy {
  return { method: 'pkexec', launch: async () => spawnHelper(command, onLog) };
}
