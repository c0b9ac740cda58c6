import { availableParallelism } from 'node:os';
import type { ProductEngine, ProductShape } from '@xling/align';
import { XlingError, checkOptions } from '@xling/core';
import { gemmModel } from './gemm-model.js';
import { type NativeSession, ortBinding } from './onnxruntime-binding.js';

/** The binding rejects views of a SharedArrayBuffer (worker-thread data): those are copied. */
function plain(x: Float64Array): Float64Array {
  return x.buffer instanceof SharedArrayBuffer ? new Float64Array(x) : x;
}

/** Options of {@link onnxruntimeEngine}. */
export interface OnnxruntimeEngineOptions {
  /**
   * onnxruntime's intra-op threads for each product. The split is over output blocks, so results
   * do not depend on it.
   * @defaultValue `os.availableParallelism()`
   */
  threads?: number;
}

/** A {@link ProductEngine} that can release its onnxruntime sessions. */
export interface OnnxruntimeEngine extends ProductEngine {
  /** Releases the sessions; later products throw. */
  dispose(): void;
}

/**
 * A product engine for @xling/align that runs the large float64 products on onnxruntime's CPU
 * kernels (MLAS DGEMM: AVX2 / AVX-512 blocked kernels, multi-threaded): one `Gemm` session per
 * transpose pattern, created on first use, with spinning threads off so the cores are free for
 * the JavaScript work between products (SVDs, Cholesky factors).
 *
 * @param options - {@link OnnxruntimeEngineOptions}
 * @returns an engine for the `engine` option of `orthogonalProcrustes`, `OrthogonalProcrustes`,
 * `cca`, `svcca`, `pwcca` and `linearCka`
 * @throws XLING_INVALID_ARGUMENT for bad options; XLING_BACKEND_UNAVAILABLE when onnxruntime-node
 * cannot be loaded (on the first product)
 * @see onnxruntime `Gemm` (CPU execution provider, MLAS)
 * @example
 * const engine = onnxruntimeEngine({ threads: 2 });
 * orthogonalProcrustes(x, y, { engine }).scale;
 */
export function onnxruntimeEngine(options: OnnxruntimeEngineOptions = {}): OnnxruntimeEngine {
  checkOptions(options, { threads: { type: 'integer', min: 1 } }, 'onnxruntimeEngine');
  const threads = options.threads ?? availableParallelism();
  const sessions = new Map<string, NativeSession>();
  let disposed = false;

  const session = (transposeA: boolean, transposeB: boolean): NativeSession => {
    const key = `${+transposeA}${+transposeB}`;
    let s = sessions.get(key);
    if (s === undefined) {
      s = ortBinding().createSession(gemmModel(transposeA, transposeB), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: { 'session.intra_op.allow_spinning': '0' },
      });
      sessions.set(key, s);
    }
    return s;
  };

  return {
    name: `onnxruntime, ${threads} thread${threads === 1 ? '' : 's'}`,
    multiply(a: Float64Array, b: Float64Array, shape: ProductShape): Float64Array {
      if (disposed) throw new XlingError('XLING_INVALID_ARGUMENT', 'This onnxruntime engine was disposed.');
      const { m, k, n, transposeA, transposeB } = shape;
      if (a.length < m * k || b.length < k * n) {
        throw new XlingError(
          'XLING_INVALID_ARGUMENT',
          `A ${m} x ${k} by ${k} x ${n} product needs ${m * k} and ${k * n} values, but got ${a.length} and ${b.length}.`,
        );
      }
      const { tensor } = ortBinding();
      const feeds = {
        a: tensor(plain(a.subarray(0, m * k)), transposeA ? [k, m] : [m, k]),
        b: tensor(plain(b.subarray(0, k * n)), transposeB ? [n, k] : [k, n]),
      };
      const c = session(transposeA, transposeB).run(feeds, { c: null }, {}).c.data;
      if (!(c instanceof Float64Array) || c.length !== m * n) {
        throw new XlingError(
          'XLING_BACKEND_UNAVAILABLE',
          `onnxruntime returned an unexpected result for a ${m} x ${n} product.`,
        );
      }
      return c;
    },
    dispose() {
      disposed = true;
      for (const s of sessions.values()) s.dispose();
      sessions.clear();
    },
  };
}
