import { execa } from 'execa';

/**
 * How the observer runs read-only tools: a fixed system PATH (so a user-writable directory can never
 * shadow `ip` or `virsh`, and /usr/sbin is found on distributions that keep it out of users' PATH),
 * and LC_ALL=C so virsh prints the English words the parsers read.
 */
export const HOST_COMMAND_ENV = { LC_ALL: 'C', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };

export async function readCommand(file: string, args: readonly string[], timeoutMs: number): Promise<string> {
  const result = await execa(file, args, { env: HOST_COMMAND_ENV, extendEnv: false, stdin: 'ignore', timeout: timeoutMs });
  return result.stdout;
}
