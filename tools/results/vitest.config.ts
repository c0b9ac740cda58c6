import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tool-results',
    include: ['src/**/*.test.ts'],
    // One test starts the command line through tsx; CI runs every package on 2 shared cores.
    testTimeout: 60_000,
  },
});
