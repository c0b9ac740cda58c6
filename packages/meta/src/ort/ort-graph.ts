import * as onnxProtoModule from 'onnx-proto';
import type * as OrtModule from 'onnxruntime-node';
import { XlingError } from '@xling/core';

// Shared pieces of meta's onnxruntime graphs (phi's passes, the probe's step): building ONNX
// protobufs and one cached CPU session per graph and thread count.

type Ort = typeof OrtModule;
export type InferenceSession = OrtModule.InferenceSession;
type OrtTensor = OrtModule.Tensor;
type OnnxNamespace = typeof onnxProtoModule.onnx;
export type NodeProto = onnxProtoModule.onnx.INodeProto;
export type ValueInfoProto = onnxProtoModule.onnx.IValueInfoProto;
export type TensorProto = onnxProtoModule.onnx.ITensorProto;

// onnx-proto is CommonJS (`module.exports = { onnx }`): Node's ESM loader exposes it only as
// `default`, while a CommonJS build sees `onnx` directly. Accept both shapes.
const loaded = onnxProtoModule as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };
const onnx: OnnxNamespace = (loaded.onnx ?? loaded.default?.onnx) as OnnxNamespace;

// onnxruntime-node (a native addon) loads on first use, so importing this package never
// needs it: the `js` engines work where its binaries are missing.
let ort: Ort | undefined;
async function loadOrt(): Promise<Ort> {
  if (ort === undefined) {
    const module = (await import('onnxruntime-node')) as Ort & { default?: Ort };
    ort = module.default ?? module;
  }
  return ort;
}

export const FLOAT = 1;
export const INT64 = 7;
export const ATTR_FLOAT = 1;
export const ATTR_INT = 2;

/** Threads inside one onnxruntime operator (`intraOpNumThreads`) when none are given. */
export const DEFAULT_ORT_THREADS = 1;

/** A float32 graph input or output with named (dynamic) or fixed dimensions. */
export function input(name: string, dims: Array<number | string>): ValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((v) => (typeof v === 'number' ? { dimValue: v } : { dimParam: v })) },
      },
    },
  };
}

/** An int64 graph input (e.g. row indices). */
export function int64Input(name: string, dims: Array<number | string>): ValueInfoProto {
  const info = input(name, dims);
  return { ...info, type: { tensorType: { ...info.type?.tensorType, elemType: INT64 } } };
}

/** One graph node whose single output is named `output`. */
export function node(
  opType: string,
  inputs: string[],
  output: string,
  attribute: NodeProto['attribute'] = [],
): NodeProto {
  return { opType, name: `node_${output}`, input: inputs, output: [output], attribute };
}

export const transA = { name: 'transA', type: ATTR_INT, i: 1 };
export const transB = { name: 'transB', type: ATTR_INT, i: 1 };

/** Serialises an opset-17 model of one graph. */
export function encodeModel(graph: {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
}): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: '@xling/meta',
    opsetImport: [{ domain: '', version: 17 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

const sessions = new Map<string, Promise<InferenceSession>>();

/**
 * A cached onnxruntime CPU session of the graph `name` (built by `build` on first use) with
 * `threads` intra-op threads: one session per graph and thread count for the whole process,
 * never closed. Intra-op threads do not spin between runs.
 *
 * @throws XLING_BACKEND_UNAVAILABLE when onnxruntime cannot create the session.
 */
export function ortSession(
  name: string,
  build: () => Uint8Array,
  threads = DEFAULT_ORT_THREADS,
): Promise<InferenceSession> {
  const key = `${name}:${threads}`;
  let session = sessions.get(key);
  if (session === undefined) {
    session = loadOrt()
      .then((runtime) =>
        runtime.InferenceSession.create(build(), {
          intraOpNumThreads: threads,
          interOpNumThreads: 1,
          executionMode: 'sequential',
          graphOptimizationLevel: 'all',
          executionProviders: ['cpu'],
          // Worker threads that spin after a run steal the CPU from the JS glue between runs
          // (2 threads were 2-3x slower than 1 with spinning on a 2-core machine).
          extra: { session: { intra_op: { allow_spinning: '0' } } },
        }),
      )
      .catch((error: unknown) => {
        sessions.delete(key);
        throw new XlingError(
          'XLING_BACKEND_UNAVAILABLE',
          `onnxruntime could not start: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      });
    sessions.set(key, session);
  }
  return session;
}

/** Float32 view or copy of a numeric array. */
export function asFloat32(a: ArrayLike<number>): Float32Array {
  return a instanceof Float32Array ? a : Float32Array.from(a);
}

/** A float32 onnxruntime tensor; only valid once a session has loaded onnxruntime. */
export function ortTensor(data: Float32Array, dims: number[]): OrtTensor {
  return new ort!.Tensor('float32', data, dims);
}

/** An int64 onnxruntime tensor; only valid once a session has loaded onnxruntime. */
export function ortInt64Tensor(data: BigInt64Array, dims: number[]): OrtTensor {
  return new ort!.Tensor('int64', data, dims);
}
