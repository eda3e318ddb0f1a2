import { defineConfig } from 'vitest/config';

// One run covers every package: tests import workspace packages through the
// "source" export condition, so they run against src/ without a build step.
const shared = {
  // The long chaos tests run with `npm run test:chaos` (vitest.chaos.config.ts).
  exclude: ['**/node_modules/**', 'test/chaos/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          ...shared,
          name: 'main',
          include: [
            'packages/*/test/**/*.test.ts',
            'server/test/**/*.test.ts',
            'apps/*/test/**/*.test.ts',
            'test/**/*.test.ts',
          ],
        },
      },
      // The classroom's suite again on the memory store, through the same store seam as
      // LevelDB: its records must live in whichever back-end runs (docs/ARCHITECTURE.md).
      {
        extends: true,
        test: {
          ...shared,
          name: 'classroom-on-memory-store',
          include: ['packages/classroom/test/classroom*.test.ts'],
          env: { CANDYCE_TEST_STORE: 'memory' },
        },
      },
    ],
  },
});
