import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const builtPanel = fileURLToPath(new URL('./widget/dist/panel.js', import.meta.url));

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Test files share their worker processes instead of each starting a fresh one: evaluating
    // the server's modules again for every file took about a third of the suite's time. Files
    // share no state to leak: each opens its own database, and fake timers are put back.
    isolate: false,
    // PGlite takes a few seconds to start on a small machine; each test file starts one.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts', 'console/src/**/*.test.tsx'],
          exclude: ['node_modules/**', 'widget/dist/**', 'console/dist/**', '**/*.e2e.test.ts'],
        },
      },
      {
        // The widget's unit tests again, against the minified production build (as Preact does):
        // a renamed private field or a dropped export fails here.
        extends: true,
        test: {
          name: 'widget-dist',
          include: ['widget/src/**/*.test.ts'],
          globalSetup: ['widget/testing/build-for-tests.ts'],
          alias: [{ find: /^\.\/panel\.tsx$/, replacement: builtPanel }],
        },
      },
    ],
  },
});
