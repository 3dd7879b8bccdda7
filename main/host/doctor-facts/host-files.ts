import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HOST_COMMAND_ENV } from '../host-command';

/** a file's text, or undefined when it cannot be read: absence is itself a fact for the doctor */
export const readOptional = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined);

export const pathExists = (path: string): Promise<boolean> => access(path).then(() => true, () => false);

/** whether a tool is installed, looked up on the same fixed PATH the commands run with */
export async function toolInstalled(name: string): Promise<boolean> {
  const found = await Promise.all(HOST_COMMAND_ENV.PATH.split(':').map((dir) => pathExists(join(dir, name))));
  return found.includes(true);
}
