import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, type InlineConfig, type UserConfig } from 'vite';
import appConfig from '../../../electron.vite.config';
import { NODE_ENTRIES, nodeBundleConfig } from '../../../vite.node.config';

export interface TransportBuild {
  dir: string;
  /** the renderer, built with the app's own renderer config */
  renderer: string;
  /** the browser script that provides window.kvmnet */
  shim: string;
  /** the HTTP stand-in for the main process, a self-contained node bundle */
  server: string;
  /** the root helper, built with the app's own node-bundle config */
  helper: string;
}

function nodeBundle(name: string, entry: string, outDir: string): InlineConfig {
  const config = nodeBundleConfig(name, entry, outDir);
  return { ...config, build: { ...config.build, sourcemap: false } };
}

/** The renderer as the app builds it (electron-vite's renderer config), with relative asset URLs as for file://. */
export function rendererBuild(outDir: string): InlineConfig {
  const renderer = (appConfig as { renderer: UserConfig }).renderer;
  return { ...renderer, configFile: false, logLevel: 'warn', base: './', build: { ...renderer.build, outDir, emptyOutDir: true } };
}

/**
 * Builds everything an E2E run needs into a fresh temporary directory, from the current sources,
 * so a run never tests a stale build. Nothing here lands in out/ or in the packaged app.
 */
export async function buildTransport(): Promise<TransportBuild> {
  const dir = await mkdtemp(join(tmpdir(), 'kvmnet-e2e-'));
  // settle all before cleaning up: a failed build must not leave its siblings writing into a removed directory
  const results = await Promise.allSettled([
    build(rendererBuild(join(dir, 'renderer'))),
    build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir: join(dir, 'shim'),
        emptyOutDir: true,
        minify: false,
        lib: { entry: resolve('tests/e2e/transport/shim.ts'), formats: ['iife'], name: 'kvmnetTestShim', fileName: () => 'shim.js' },
      },
    }),
    build(nodeBundle('e2e-transport', 'tests/e2e/transport/server.ts', join(dir, 'server'))),
    build(nodeBundle('kvmnet-helper', NODE_ENTRIES['kvmnet-helper'], join(dir, 'helper'))),
  ]);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await rm(dir, { recursive: true, force: true });
    throw failure.reason;
  }
  return {
    dir,
    renderer: join(dir, 'renderer'),
    shim: join(dir, 'shim', 'shim.js'),
    server: join(dir, 'server', 'e2e-transport.cjs'),
    helper: join(dir, 'helper', 'kvmnet-helper.cjs'),
  };
}
