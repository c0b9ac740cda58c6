import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: they were over half of each tarball, and the published code is readable ESM/CJS.
  sourcemap: false,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
