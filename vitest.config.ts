import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The machine has two cores and end-to-end files each drive npm, tsc and servers.
    fileParallelism: false,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Generates and installs one service for every end-to-end file to copy.
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
