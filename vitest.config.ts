import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/faults/**', '**/node_modules/**'],
    // Integration and end-to-end tests start real processes and databases.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // discord-guard: every test file that starts a fake Discord fails on bodies Discord would
    // refuse and on raw TeX or mid-word cuts in anything a member reads.
    setupFiles: ['test/support/fast-check-seed.ts', 'test/support/discord-guard.ts'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
