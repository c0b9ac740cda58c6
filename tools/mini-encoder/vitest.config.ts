import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tool-mini-encoder',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
