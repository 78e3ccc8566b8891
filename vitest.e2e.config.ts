import { defineConfig } from 'vitest/config';

/** Browser end-to-end tests: a real Chromium against the real server and the built widget. */
export default defineConfig({
  test: {
    include: ['**/*.e2e.test.ts'],
    exclude: ['node_modules/**'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
