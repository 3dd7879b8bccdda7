import type { z } from 'zod';
import type { HostIo } from './host-io';

/** a JSON file the helper wrote earlier, parsed by its schema; undefined when missing, not JSON, or not of that shape */
export async function readJsonFile<T extends z.ZodType>(io: Pick<HostIo, 'readText'>, path: string, schema: T): Promise<z.infer<T> | undefined> {
  const text = await io.readText(path);
  if (text === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
