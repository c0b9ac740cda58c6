import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'example-few-shot',
    include: ['index.test.ts'],
    testTimeout: 60_000,
  },
});
