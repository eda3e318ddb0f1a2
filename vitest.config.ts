import { defineConfig } from 'vitest/config';

// One run covers every package: tests import workspace packages through the
// "source" export condition, so they run against src/ without a build step.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'server/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    // The long chaos tests run with `npm run test:chaos` (vitest.chaos.config.ts).
    exclude: ['**/node_modules/**', 'test/chaos/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
