/** Element types of a {@link Tensor}, named as in safetensors. */
export type TensorDtype =
  | 'F64'
  | 'F32'
  | 'F16'
  | 'I64'
  | 'I32'
  | 'I16'
  | 'I8'
  | 'U8'
  | 'U16'
  | 'U32'
  | 'BOOL';

/** Storage for each dtype. F16 holds raw IEEE half bits; use `float16ToFloat32` to read them. */
export interface TensorDataByDtype {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U8: Uint8Array;
  U16: Uint16Array;
  U32: Uint32Array;
  BOOL: Uint8Array;
}

/** A named n-dimensional array as stored in a safetensors file (row-major). */
export interface Tensor<T extends TensorDtype = TensorDtype> {
  dtype: T;
  shape: number[];
  data: TensorDataByDtype[T];
}

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Record<TensorDtype, number> = {
  F64: 8,
  F32: 4,
  F16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U8: 1,
  U16: 2,
  U32: 4,
  BOOL: 1,
};

/** Number of elements of a shape (1 for a scalar). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}
