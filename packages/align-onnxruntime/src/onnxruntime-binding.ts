import { createRequire } from 'node:module';
import { XlingError } from '@xling/core';

const require = createRequire(import.meta.url);

/** The onnxruntime-node version whose native binding this package was written and tested against. */
export const SUPPORTED_ORT = '1.30.';

/** A float64 tensor as onnxruntime-node's binding takes and returns it. */
export interface OrtTensor {
  readonly type: string;
  readonly dims: readonly number[];
  readonly data: unknown;
}

/** The synchronous session object of onnxruntime-node's native binding. */
export interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(
    feeds: Record<string, OrtTensor>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, OrtTensor>;
  dispose(): void;
}

export interface OrtBinding {
  version: string;
  createSession(model: Uint8Array, options: object): NativeSession;
  tensor(data: Float64Array, dims: number[]): OrtTensor;
}

let loaded: OrtBinding | undefined;

/**
 * onnxruntime-node's native binding, used directly: its public `InferenceSession.run` only wraps
 * the binding's synchronous `run` in a Promise (setImmediate), and @xling/align's functions are
 * synchronous. That binding is not public API, so the version is pinned and checked here and
 * any mismatch is reported instead of failing somewhere inside.
 *
 * @throws XLING_BACKEND_UNAVAILABLE when onnxruntime-node is missing, another version, or its
 * binding does not load.
 */
export function ortBinding(): OrtBinding {
  if (loaded !== undefined) return loaded;
  let version = 'unknown';
  try {
    version = (require('onnxruntime-node/package.json') as { version: string }).version;
    if (!version.startsWith(SUPPORTED_ORT)) {
      throw new Error(`version ${version} is installed; this engine needs ${SUPPORTED_ORT}x`);
    }
    const ort = require('onnxruntime-node') as {
      Tensor: new (type: 'float64', data: Float64Array, dims: number[]) => OrtTensor;
    };
    const native = require('onnxruntime-node/dist/binding.js') as {
      binding: { InferenceSession: new () => NativeSession };
      initOrt: () => void;
    };
    native.initOrt();
    loaded = {
      version,
      createSession(model, options) {
        const session = new native.binding.InferenceSession();
        session.loadModel(model.buffer as ArrayBuffer, model.byteOffset, model.byteLength, options);
        return session;
      },
      tensor: (data, dims) => new ort.Tensor('float64', data, dims),
    };
    return loaded;
  } catch (error) {
    throw new XlingError(
      'XLING_BACKEND_UNAVAILABLE',
      `onnxruntime-node could not be used as a product engine (${error instanceof Error ? error.message : String(error)}). Install onnxruntime-node@${SUPPORTED_ORT}x beside @xling/align-onnxruntime.`,
      { cause: error },
    );
  }
}
