import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-validate-treebank',
    include: ['index.test.ts'],
    // Generous, like the packages': CI runs on 2 shared cores; these are checks, not benchmarks.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
