import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'tool-release-check',
    include: ['src/**/*.test.ts'],
    // Packing, `npm install` from the registry and the README examples: minutes, not milliseconds.
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
