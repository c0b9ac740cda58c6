import { defineConfig } from 'tsup';

export default defineConfig({
  // gemm-worker is the worker_threads entry of the opt-in `threads` option: it must ship beside
  // index.{js,cjs} as gemm-worker.{js,cjs} (parallel-gemm.ts resolves it next to itself).
  entry: { index: 'src/index.ts', 'gemm-worker': 'src/linalg/gemm-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  // import.meta.url in the CommonJS build (to find gemm-worker.cjs).
  shims: true,
  // No source maps: they were over half of each tarball, and the published code is readable ESM/CJS.
  sourcemap: false,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
