import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ModelFolderError } from '@xling/core';
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;

/** The parts of a decoded ONNX ModelProto xling reads (protobufjs fills repeated fields with []). */
export interface OnnxModelProto {
  graph: {
    node: Array<{ name: string; opType: string; input: string[]; output: string[] }>;
    input: Array<{ name: string }>;
    output: Array<{ name: string; type?: unknown }>;
    /** Types of intermediate tensors, when the exporter recorded them. */
    valueInfo: Array<{ name: string; type?: unknown }>;
    initializer: Array<{
      name: string;
      dims: Array<number | { toNumber(): number }>;
      dataLocation: number;
      externalData: Array<{ key: string; value: string }>;
    }>;
  };
}

/** Encodes a (possibly edited) model back to protobuf bytes. */
export function encodeOnnxModel(model: OnnxModelProto): Uint8Array {
  return onnx.ModelProto.encode(model as unknown as onnxProto.onnx.IModelProto).finish();
}

/** Decodes an ONNX protobuf; ModelFolderError naming the file when it is not one. */
export async function readOnnxModel(path: string): Promise<OnnxModelProto> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new ModelFolderError(
      dirname(path),
      `cannot read ${basename(path)}: ${(error as Error).message}`,
      [basename(path)],
      { cause: error },
    );
  }
  let model: OnnxModelProto;
  try {
    model = onnx.ModelProto.decode(bytes) as unknown as OnnxModelProto;
  } catch (error) {
    throw new ModelFolderError(
      dirname(path),
      `${basename(path)} is not a valid ONNX model: ${(error as Error).message}`,
      [],
      { cause: error },
    );
  }
  if (!model.graph || model.graph.node.length === 0 || model.graph.output.length === 0) {
    throw new ModelFolderError(
      dirname(path),
      `${basename(path)} is not a valid ONNX model: it has no graph, nodes or outputs.`,
    );
  }
  return model;
}
