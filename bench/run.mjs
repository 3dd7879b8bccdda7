#!/usr/bin/env node
// `npm run bench`: bundles bench/main.ts (TypeScript, importing the lab fixtures from tests/lab)
// into out/bench with its dependencies left in node_modules, then runs it. Needs root: the
// contenders run inside a lab namespace, never on the machine's own network.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { build } from 'vite';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`the benchmark needs Node 22 or newer; this is ${process.version}`);
  process.exit(1);
}

const outDir = resolve('out/bench');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    ssr: resolve('bench/main.ts'),
    rollupOptions: { output: { format: 'esm', entryFileNames: 'main.mjs' } },
  },
});
await import(pathToFileURL(resolve(outDir, 'main.mjs')).href);

// issue 7: observe with 1,000 taps, helper cold start, elevation prompts per session
const observeOutDir = resolve('out/bench-observe');
await build({
  configFile: false,
  logLevel: 'warn',
  build: {
    outDir: observeOutDir,
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    ssr: resolve('bench/observe-and-helper.ts'),
    rollupOptions: { output: { format: 'esm', entryFileNames: 'observe-and-helper.mjs' } },
  },
});
await import(pathToFileURL(resolve(observeOutDir, 'observe-and-helper.mjs')).href);
