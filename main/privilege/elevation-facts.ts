import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { ElevationFacts } from './choose-elevation';
import { PKEXEC_LAUNCHER_PATH, POLKIT_POLICY_PATH } from './helper-location';

const SUDO_PROMPT_BACKENDS = ['/usr/bin/pkexec', '/usr/bin/kdesudo'];

async function exists(path: string, mode = constants.F_OK): Promise<boolean> {
  return access(path, mode).then(() => true, () => false);
}

async function onPath(program: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  const dirs = (env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d));
  for (const dir of dirs) if (await exists(join(dir, program), constants.X_OK)) return true;
  return false;
}

export async function readElevationFacts(env: NodeJS.ProcessEnv = process.env): Promise<ElevationFacts> {
  const [pkexec, launcher, policy, backends] = await Promise.all([
    onPath('pkexec', env),
    exists(PKEXEC_LAUNCHER_PATH, constants.X_OK),
    exists(POLKIT_POLICY_PATH),
    Promise.all(SUDO_PROMPT_BACKENDS.map((p) => exists(p, constants.X_OK))),
  ]);
  return {
    uid: process.getuid?.() ?? -1,
    display: Boolean(env.DISPLAY || env.WAYLAND_DISPLAY),
    pkexec,
    launcherInstalled: launcher && policy,
    sudoPromptBackend: backends.some(Boolean),
  };
}
