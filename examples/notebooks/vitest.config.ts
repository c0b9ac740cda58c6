import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-notebooks',
    include: ['notebooks.test.mjs'],
    // Each notebook runs in a Jupyter kernel for up to a few minutes on CI's 2 shared cores.
    testTimeout: 900_000,
    hookTimeout: 900_000,
  },
});
