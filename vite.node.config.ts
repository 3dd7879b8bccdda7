import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig, type InlineConfig } from 'vite';

/**
 * The root helper and the CLI are self-contained CommonJS bundles: the helper ships outside the
 * asar (root runs it through pkexec) and must not load modules from anywhere else. One build per
 * entry, so no chunk is shared between them.
 */
export const NODE_ENTRIES = {
  'kvmnet-helper': 'main/helper/main.ts',
  kvmnet: 'main/cli/main.ts',
} as const;
export type NodeEntry = keyof typeof NODE_ENTRIES;

export function nodeBundleConfig(name: string, entry: string, outDir: string): InlineConfig {
  return {
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: true,
      ssr: true,
      rollupOptions: {
        input: { [name]: resolve(entry) },
        external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false, banner: name === 'kvmnet' ? '#!/usr/bin/env node' : '' },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  };
}

// `vite build --config vite.node.config.ts --mode <entry>` builds one entry into out/node.
export default defineConfig(({ mode }) => {
  if (!Object.hasOwn(NODE_ENTRIES, mode)) throw new Error(`--mode must be one of ${Object.keys(NODE_ENTRIES).join(', ')}`);
  return nodeBundleConfig(mode, NODE_ENTRIES[mode as NodeEntry], 'out/node');
});
