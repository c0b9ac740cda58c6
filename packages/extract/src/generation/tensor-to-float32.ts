import { float16ToFloat32 } from '@xling/core';
import type ort from 'onnxruntime-node';

/** A float32 or float16 output as a Float32Array (float16 graphs are widened once here). */
export function tensorToFloat32(tensor: ort.Tensor): Float32Array {
  if (tensor.type !== 'float16') return tensor.data as Float32Array;
  const bits = tensor.data as unknown as Uint16Array;
  return float16ToFloat32(new Uint16Array(bits.buffer, bits.byteOffset, tensor.size));
}
