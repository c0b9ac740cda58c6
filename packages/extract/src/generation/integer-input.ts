import { InvalidArgumentError } from '@xling/core';

/** Integer input of {@link GenerationModel.forward}: token ids, masks, positions. */
export type IntegerArray = Int32Array | BigInt64Array | Uint8Array | readonly number[];

/**
 * Reads `value` as integers from `min` to `max`, for a graph input (onnxruntime would otherwise
 * fail mid-run with an internal error, or silently truncate a fraction).
 *
 * @throws XLING_INVALID_ARGUMENT naming the argument and the first bad entry.
 */
export function integerInput(
  value: unknown,
  argument: string,
  functionName: string,
  min: number,
  max: number,
): Float64Array {
  const typed = value instanceof Int32Array || value instanceof BigInt64Array || value instanceof Uint8Array;
  if (!typed && !Array.isArray(value)) {
    const got = value === null || typeof value !== 'object' ? String(value) : value.constructor.name;
    throw new InvalidArgumentError(
      argument,
      functionName,
      `must be an Int32Array, a BigInt64Array, a Uint8Array or an array of integers, but got ${got}.`,
    );
  }
  const source = value as ArrayLike<number | bigint>;
  const numbers = new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const v = Number(source[i]);
    if (!Number.isInteger(v) || v < min || v > max) {
      throw new InvalidArgumentError(
        argument,
        functionName,
        `must hold integers from ${min} to ${max}, but entry ${i} is ${String(source[i])}.`,
      );
    }
    numbers[i] = v;
  }
  return numbers;
}
