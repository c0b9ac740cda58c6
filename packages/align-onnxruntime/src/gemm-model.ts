import { createRequire } from 'node:module';
import type * as OnnxProto from 'onnx-proto';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto') as typeof OnnxProto;

/** ONNX `TensorProto.DataType.DOUBLE`. */
const DOUBLE = 11;
/** ONNX `AttributeProto.AttributeType.INT`. */
const INT = 2;

/**
 * An ONNX model of one float64 `Gemm` node, `c = op(a) op(b)`, with symbolic shapes so one
 * session serves every size. Gemm (not MatMul) because its `transA` / `transB` attributes let
 * onnxruntime read a transposed operand in place instead of materialising the transpose.
 *
 * @see ONNX operator `Gemm` (opset 13)
 */
export function gemmModel(transposeA: boolean, transposeB: boolean): Uint8Array {
  const input = (name: string, rows: string, cols: string) => ({
    name,
    type: { tensorType: { elemType: DOUBLE, shape: { dim: [{ dimParam: rows }, { dimParam: cols }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: '@xling/align-onnxruntime',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'gemm',
      node: [
        {
          opType: 'Gemm',
          input: ['a', 'b'],
          output: ['c'],
          attribute: [
            { name: 'transA', type: INT, i: transposeA ? 1 : 0 },
            { name: 'transB', type: INT, i: transposeB ? 1 : 0 },
          ],
        },
      ],
      input: [
        transposeA ? input('a', 'k', 'm') : input('a', 'm', 'k'),
        transposeB ? input('b', 'n', 'k') : input('b', 'k', 'n'),
      ],
      output: [input('c', 'm', 'n')],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
