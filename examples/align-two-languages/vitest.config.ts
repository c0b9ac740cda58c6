import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-align-two-languages',
    include: ['index.test.ts'],
    testTimeout: 60_000,
  },
});
