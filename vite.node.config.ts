import { resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';

// The root helper and the CLI are self-contained CommonJS bundles: the helper ships outside the asar
// (it is run by root through pkexec) and must not resolve modules from a user-writable tree.
export default defineConfig({
  build: {
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    sourcemap: true,
    ssr: true,
    rollupOptions: {
      input: {
        'kvmnet-helper': resolve('main/helper/main.ts'),
        kvmnet: resolve('main/cli/main.ts'),
      },
      external: [...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs', banner: (chunk) => (chunk.name === 'kvmnet' ? '#!/usr/bin/env node' : '') },
    },
  },
  ssr: { noExternal: true, target: 'node' },
});
