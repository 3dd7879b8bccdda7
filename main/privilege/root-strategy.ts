import type { ElevationStrategy } from './elevation-strategy';
import { spawnHelper, type HelperCommand } from './helper-connection';
import { HELPER_PATH_ENV, type HelperLocation } from './helper-location';

/** Already root (tests, `sudo kvmnet`, a root desktop session): the helper is simply our child. */
export function rootHelperCommand(location: HelperLocation): HelperCommand {
  return { file: location.runtime, args: [location.script], env: { PATH: HELPER_PATH_ENV, ELECTRON_RUN_AS_NODE: '1' } };
}

export function rootStrategy(command: HelperCommand, onLog?: (line: string) => void): ElevationStrategy {
  return {
    method: 'root',
    // no dialog is involved, so a helper that does not answer within this time is broken
    readyTimeoutMs: 15_000,
    launch: async () => spawnHelper(command, onLog),
  };
}
