import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { XlingError } from '@xling/core';

let ready: Promise<string> | undefined;
let started = false;

/** Whether {@link initBackend} has finished, so tfjs ops may run synchronously. */
export function isBackendReady(): boolean {
  return started;
}

/**
 * Starts the TensorFlow.js WebAssembly backend that meta-training runs on and resolves to its
 * name (`'wasm'`). The `.wasm` binaries are located in the installed
 * `@tensorflow/tfjs-backend-wasm/dist` folder, so nothing is fetched. Safe to call many times;
 * training functions call it themselves.
 *
 * @throws XLING_BACKEND_UNAVAILABLE when the wasm backend cannot start.
 */
export function initBackend(): Promise<string> {
  if (ready === undefined) {
    ready = (async () => {
      // tsup shims import.meta.url in the CJS build.
      const require = createRequire(import.meta.url);
      const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist/');
      setWasmPaths(dist);
      const ok = await tf.setBackend('wasm');
      await tf.ready();
      if (!ok || tf.getBackend() !== 'wasm') {
        throw new XlingError(
          'XLING_BACKEND_UNAVAILABLE',
          `The TensorFlow.js wasm backend did not start (from ${dist}).`,
        );
      }
      started = true;
      return tf.getBackend();
    })();
    ready.catch(() => {
      ready = undefined;
    });
  }
  return ready;
}
