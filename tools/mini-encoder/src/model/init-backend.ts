import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// The union package registers every op's gradient on the shared tfjs-core engine; tfjs-core's
// own Node bundle has no gradients and its ESM gradient files cannot be imported by Node.
import '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { XlingError } from '@xling/core';

let ready: Promise<string> | undefined;

/**
 * Starts the TensorFlow.js backend: `'wasm'` (binaries from the installed
 * `@tensorflow/tfjs-backend-wasm/dist`, `threads` threads; 1 by default so training shares the
 * machine) or `'cpu'` (pure JS fallback).
 *
 * @throws XLING_BACKEND_UNAVAILABLE when the backend does not start.
 */
export function initBackend(backend: 'wasm' | 'cpu' = 'wasm', threads = 1): Promise<string> {
  if (ready === undefined) {
    ready = (async () => {
      if (backend === 'wasm') {
        const base = typeof __filename === 'string' ? __filename : import.meta.url;
        const require = createRequire(base);
        const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/');
        setWasmPaths(dist);
        setThreadsCount(threads);
      }
      const ok = await tf.setBackend(backend);
      await tf.ready();
      if (!ok || tf.getBackend() !== backend) {
        throw new XlingError(
          'XLING_BACKEND_UNAVAILABLE',
          `The TensorFlow.js ${backend} backend did not start.`,
        );
      }
      return backend;
    })();
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}
