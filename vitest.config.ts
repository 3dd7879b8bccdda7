import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], exclude: ['tests/unit/renderer/**'], environment: 'node' },
      },
      {
        plugins: [vue()],
        resolve: { alias: { '@renderer': resolve('renderer/src') } },
        test: { name: 'renderer', include: ['tests/unit/renderer/**/*.test.ts'], environment: 'happy-dom' },
      },
      {
        // Real kernel, real tools, each file in its own lab namespaces; slow but honest.
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 120_000, hookTimeout: 120_000 },
      },
      {
        // issue 7's reliability record: faults, kill -9, fuzzing and concurrency against real labs; seeded, reproducible
        test: { name: 'reliability', include: ['tests/reliability/**/*.test.ts'], environment: 'node', testTimeout: 300_000, hookTimeout: 120_000 },
      },
      {
        test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'], environment: 'node', testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false },
      },
    ],
  },
});
