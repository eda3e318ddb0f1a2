import { defineConfig } from 'vitest/config';

// The long part of the reliability suite (`npm run test:chaos`): crashes under
// a 30-client class, network cuts, long offline periods, fuzzing at scale.
// Results and figures: docs/RELIABILITY.md.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    // The seeded fuzzers of npm test, run here with ten times the cases.
    include: [
      'test/chaos/**/*.test.ts',
      'server/test/fuzz-ws.test.ts',
      'server/test/ipynb-http-fuzz.test.ts',
    ],
    env: { FUZZ_CASES: process.env.FUZZ_CASES ?? '20000' },
    // One file at a time: these tests measure a server under load on a small machine.
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
});
