import { float32ToFloat16 } from '@xling/core';
import type { ExternalDataWriter } from './external-data-writer.js';
import {
  type AttributeProto,
  DATA_TYPE,
  attribute,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from './onnx-proto.js';

/** Storage of the weights: float32, or float16 cast back to float32 inside the graph. */
export type WeightDtype = 'fp32' | 'fp16';

/** Weights at least this large go to the external data file when one is used. */
const EXTERNAL_MIN_BYTES = 1024;

/**
 * Accumulates the nodes and initializers of one ONNX graph. Every op yields one fresh value name;
 * weights are converted and stored (inline or in the external data file) as they are added, so
 * the caller can free each checkpoint tensor right after adding it.
 */
export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  readonly inputs: ValueInfoProto[] = [];
  readonly outputs: ValueInfoProto[] = [];
  /** Number of weight elements added (the parameter count of the graph). */
  parameterCount = 0;
  private readonly counters = new Map<string, number>();
  private readonly constants = new Map<string, string>();

  private readonly added = new Set<string>();

  /**
   * @param stored Weights already converted, by name. Builders of two graphs over the same
   *   weights share this map, so each weight is read, converted and written to the external data
   *   file once, and both graphs point to the same bytes.
   */
  constructor(
    private readonly dtype: WeightDtype,
    private readonly external: ExternalDataWriter | null,
    private readonly stored: Map<string, TensorProto> = new Map(),
  ) {}

  /** A value or node name not used before, derived from `base`. */
  unique(base: string): string {
    const n = this.counters.get(base) ?? 0;
    this.counters.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  }

  /** Adds a node with one output and returns the output's name. */
  op(opType: string, inputs: string[], attributes: AttributeProto[] = [], output?: string): string {
    const name = output ?? this.unique(`${opType.toLowerCase()}_out`);
    this.nodes.push({
      opType,
      name: this.unique(`node_${opType}`),
      input: inputs,
      output: [name],
      attribute: attributes,
    });
    return name;
  }

  /** A small float32 constant (shared between uses with the same values). */
  floatConstant(values: readonly number[], dims: number[] = []): string {
    return this.constant('f', values, dims, () => ({
      dataType: DATA_TYPE.FLOAT,
      rawData: bytesOf(Float32Array.from(values)),
    }));
  }

  /** A small int64 constant (shared between uses with the same values). */
  int64Constant(values: readonly number[], dims: number[] = [values.length]): string {
    return this.constant('i', values, dims, () => ({
      dataType: DATA_TYPE.INT64,
      rawData: bytesOf(BigInt64Array.from(values, (v) => BigInt(v))),
    }));
  }

  /**
   * Adds a weight and returns the name of its float32 value: the initializer itself for fp32
   * storage, or a `Cast` of the float16 initializer for fp16 storage. With `castAfter`, the caller
   * wants the raw initializer (to `Gather` rows from a float16 table before casting: casting a
   * whole embedding table would cost its full float32 size at run time). `data` is only called
   * when no builder sharing `stored` has converted the weight yet.
   */
  async weight(
    name: string,
    data: Float32Array | (() => Promise<Float32Array>),
    dims: number[],
    castAfter = false,
  ): Promise<string> {
    if (!this.added.has(name)) {
      const tensor = this.stored.get(name) ?? (await this.convert(name, data, dims));
      this.stored.set(name, tensor);
      this.initializers.push(tensor);
      this.added.add(name);
      this.parameterCount += dims.reduce((a, b) => a * b, 1);
    }
    if (this.dtype !== 'fp16' || castAfter) return name;
    return this.castToFloat(name);
  }

  private async convert(
    name: string,
    data: Float32Array | (() => Promise<Float32Array>),
    dims: number[],
  ): Promise<TensorProto> {
    const values = typeof data === 'function' ? await data() : data;
    const fp16 = this.dtype === 'fp16';
    const bytes = fp16 ? bytesOf(float32ToFloat16(values)) : bytesOf(values);
    const tensor: TensorProto = { name, dims, dataType: fp16 ? DATA_TYPE.FLOAT16 : DATA_TYPE.FLOAT };
    if (this.external !== null && bytes.byteLength >= EXTERNAL_MIN_BYTES) {
      const { offset, length } = await this.external.append(bytes);
      tensor.dataLocation = 1; // TensorProto.DataLocation.EXTERNAL
      tensor.externalData = [
        { key: 'location', value: this.external.fileName },
        { key: 'offset', value: String(offset) },
        { key: 'length', value: String(length) },
      ];
    } else {
      tensor.rawData = bytes;
    }
    return tensor;
  }

  /** `Cast(x, to=FLOAT)` when the weights are fp16; `x` unchanged otherwise. */
  castToFloat(x: string): string {
    if (this.dtype !== 'fp16') return x;
    return this.op('Cast', [x], [attribute.int('to', DATA_TYPE.FLOAT)]);
  }

  private constant(kind: string, values: readonly number[], dims: number[], make: () => TensorProto): string {
    const key = `${kind}:${dims.join('x')}:${values.join(',')}`;
    const existing = this.constants.get(key);
    if (existing !== undefined) return existing;
    const name = this.unique(`const_${kind}`);
    this.initializers.push({ name, dims, ...make() });
    this.constants.set(key, name);
    return name;
  }
}

function bytesOf(array: Float32Array | Uint16Array | BigInt64Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
