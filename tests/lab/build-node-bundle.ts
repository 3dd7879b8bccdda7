import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { nodeBundleConfig } from '../../vite.node.config';

export interface NodeBundle {
  /** the .cjs file to run with node */
  path: string;
  remove(): Promise<void>;
}

/**
 * Bundles one entry exactly as the app ships its node programs (self-contained CommonJS), into a
 * private directory: a run never tests a stale out/, and test files running in parallel do not
 * rebuild each other's files.
 */
export async function buildNodeBundle(name: string, entry: string): Promise<NodeBundle> {
  const dir = await mkdtemp(join(tmpdir(), `kvmnet-${name}-`));
  const config = nodeBundleConfig(name, entry, dir);
  await build({ ...config, build: { ...config.build, sourcemap: false } });
  return { path: join(dir, `${name}.cjs`), remove: () => rm(dir, { recursive: true, force: true }) };
}
