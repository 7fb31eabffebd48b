import { defineConfig } from 'vitest/config';

// Fault injection and fuzzing: slower, run by `npm run test:faults` (and by CI after `npm test`).
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    setupFiles: ['test/support/fast-check-seed.ts'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
