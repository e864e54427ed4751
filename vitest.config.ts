import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // End-to-end tests install and run whole services: minutes, not seconds.
    testTimeout: 20_000,
    hookTimeout: 600_000,
    // The machine has two cores and the end-to-end files each drive npm and servers.
    fileParallelism: false,
  },
});
