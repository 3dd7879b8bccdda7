#!/usr/bin/env node
// `npm run bench [-- network|topology|observe …]`: bundles each benchmark (TypeScript, importing the lab
// fixtures from tests/lab) into out/bench with its dependencies left in node_modules, then runs
// them one after the other; without names, all of them. Needs root: everything runs inside a lab
// namespace, never on the machine's own network. Options after the names go to every benchmark.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { build } from 'vite';

const BENCHMARKS = {
  network: 'bench/main.ts',
  topology: 'bench/topology-main.ts',
  // issue 7: observe with 1,000 taps, helper cold start, elevation prompts per session
  observe: 'bench/observe-and-helper.ts',
};

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`the benchmark needs Node 22 or newer; this is ${process.version}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const names = args.filter((a) => Object.hasOwn(BENCHMARKS, a));
const unknown = args.filter((a) => !a.startsWith('-') && !Object.hasOwn(BENCHMARKS, a) && !/^\d+$/.test(a));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHMARKS).join(', ')}`);
  process.exit(2);
}
// each benchmark parses its own options from process.argv
process.argv = [process.argv[0], process.argv[1], ...args.filter((a) => !names.includes(a))];

for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const outDir = resolve('out/bench', name);
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'node22',
      minify: false,
      ssr: resolve(BENCHMARKS[name]),
      rollupOptions: { output: { format: 'esm', entryFileNames: 'main.mjs' } },
    },
  });
  await import(pathToFileURL(resolve(outDir, 'main.mjs')).href);
  if (process.exitCode) break;
}
