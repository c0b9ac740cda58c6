import type { GraphBuilder } from './graph-builder.js';
import { type ValueInfoProto, onnx } from './onnx-proto.js';

const OPSET = 17;

/** A graph input or output: its element type and dimensions (names for dynamic ones). */
export interface GraphValue {
  name: string;
  /** ONNX `TensorProto.DataType` code. */
  elemType: number;
  dims: Array<string | number>;
}

/** A graph output and the value that feeds it. */
export interface GraphOutput extends GraphValue {
  source: string;
}

/** What {@link encodeModel} writes besides the builder's nodes and initializers. */
export interface EncodeModelOptions {
  graphName: string;
  docString: string;
  inputs: GraphValue[];
  outputs: GraphOutput[];
  metadata: Record<string, string>;
}

/**
 * Encodes the builder's graph as an ONNX model (opset 17, IR 8), naming each output through an
 * Identity node so that outputs keep stable names whatever computes them.
 */
export function encodeModel(g: GraphBuilder, options: EncodeModelOptions): Uint8Array {
  for (const output of options.outputs) g.op('Identity', [output.source], [], output.name);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: '@xling/extract',
    docString: options.docString,
    graph: {
      name: options.graphName,
      node: g.nodes,
      initializer: g.initializers,
      input: options.inputs.map(valueInfo),
      output: options.outputs.map(valueInfo),
    },
    metadataProps: Object.entries(options.metadata).map(([key, value]) => ({ key, value })),
  });
  return onnx.ModelProto.encode(model).finish();
}

function valueInfo({ name, elemType, dims }: GraphValue): ValueInfoProto {
  const dim = dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}
