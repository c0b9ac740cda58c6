import * as onnxProtoModule from 'onnx-proto';

type OnnxNamespace = typeof onnxProtoModule.onnx;

// onnx-proto is CommonJS (`module.exports = { onnx }`): Node's ESM loader exposes it only as
// `default`, while a CommonJS build sees `onnx` directly. Accept both shapes.
const loaded = onnxProtoModule as unknown as { onnx?: OnnxNamespace; default?: { onnx?: OnnxNamespace } };

/** The protobuf classes of ONNX (`ModelProto`, `GraphProto`, ...), from the onnx-proto package. */
export const onnx: OnnxNamespace = (loaded.onnx ?? loaded.default?.onnx) as OnnxNamespace;

export type NodeProto = onnxProtoModule.onnx.INodeProto;
export type TensorProto = onnxProtoModule.onnx.ITensorProto;
export type AttributeProto = onnxProtoModule.onnx.IAttributeProto;
export type ValueInfoProto = onnxProtoModule.onnx.IValueInfoProto;
export type ModelProto = onnxProtoModule.onnx.IModelProto;

/** ONNX `TensorProto.DataType` codes used by the builder. */
export const DATA_TYPE = { FLOAT: 1, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;

/** ONNX `AttributeProto.AttributeType` codes used by the builder. */
const ATTRIBUTE_TYPE = { FLOAT: 1, INT: 2, INTS: 7 } as const;

/** Attribute constructors with explicit types (a JS number does not say int or float). */
export const attribute = {
  int: (name: string, i: number): AttributeProto => ({ name, type: ATTRIBUTE_TYPE.INT, i }),
  ints: (name: string, ints: number[]): AttributeProto => ({ name, type: ATTRIBUTE_TYPE.INTS, ints }),
  float: (name: string, f: number): AttributeProto => ({ name, type: ATTRIBUTE_TYPE.FLOAT, f }),
};
