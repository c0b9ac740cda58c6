import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'icl',
    include: ['src/**/*.test.ts'],
    // Generous: CI runs every package on 2 shared cores; speed is measured in bench/, not here.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
