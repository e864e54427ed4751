import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Two end-to-end files at a time on the two cores: each spends much of its time waiting
    // on npm, tsc and servers it starts, so a second one fills the gaps (CI's 20 minutes).
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Generates and installs one service for every end-to-end file to copy.
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 240_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
