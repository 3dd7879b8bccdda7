import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

// The design card keeps main/, preload/ and renderer/ at the top level instead of electron-vite's src/ default.
export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: { rollupOptions: { input: { index: resolve('main/index.ts') } } },
  },
  preload: {
    // A sandboxed preload can require only 'electron': bundle zod into it.
    plugins: [externalizeDepsPlugin({ exclude: ['zod'] })],
    build: { rollupOptions: { input: { index: resolve('preload/index.ts') }, output: { format: 'cjs' } } },
  },
  renderer: {
    root: resolve('renderer'),
    resolve: { alias: { '@renderer': resolve('renderer/src') } },
    plugins: [vue()],
    build: { rollupOptions: { input: { index: resolve('renderer/index.html') } } },
  },
});
