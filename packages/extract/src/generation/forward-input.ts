import { InvalidArgumentError, ShapeMismatchError } from '@xling/core';
import { type CacheState, type GenerationCache, cacheState } from './generation-cache.js';
import { type IntegerArray, integerInput } from './integer-input.js';

/** Input of {@link GenerationModel.forward}; arrays are row-major. */
export interface GenerationForwardInput {
  /** Token ids of the new positions, `batchSize × length`. */
  inputIds: IntegerArray;
  /**
   * Rows of the batch.
   * @defaultValue `past.batchSize`, else 1
   */
  batchSize?: number;
  /**
   * 1 for a token, 0 for padding, over the cached and the new positions:
   * `batchSize × (past.length + length)`. Left padding is the usual choice for generation.
   * @defaultValue the cache's mask followed by ones
   */
  attentionMask?: IntegerArray;
  /**
   * Positions of the new tokens, `batchSize × length`.
   * @defaultValue as Hugging Face's `generate`: the number of tokens before each position in its
   * row (`cumsum(mask) - 1`), and 1 at padding
   */
  positionIds?: IntegerArray;
  /** The cache a previous call returned (its `present`); none for a first call. */
  past?: GenerationCache;
}

/** The checked input, as numbers. */
export interface ForwardInput {
  batchSize: number;
  length: number;
  pastLength: number;
  ids: Float64Array;
  /** `batchSize × (pastLength + length)`. */
  mask: Uint8Array;
  positions: Float64Array;
  past: CacheState | null;
}

const FUNCTION_NAME = 'GenerationModel.forward';
const MAX_INT32 = 2 ** 31 - 1;

/**
 * Checks a forward input against the model (`owner`, `vocabSize`) and fills in its defaults.
 *
 * @throws XLING_INVALID_ARGUMENT for a cache from another model, ids outside the vocabulary,
 *   non-integers, or a mask that is not 0/1.
 * @throws XLING_SHAPE_MISMATCH for lengths that do not fit the batch and the cache.
 */
export function checkForwardInput(
  input: GenerationForwardInput,
  owner: object,
  vocabSize: number,
): ForwardInput {
  if (input === null || typeof input !== 'object') {
    throw new InvalidArgumentError('input', FUNCTION_NAME, `must be an object, but got ${String(input)}.`);
  }
  const past = checkPast(input.past, owner);
  const cache = past === null ? undefined : input.past;
  const pastLength = cache?.length ?? 0;
  const batchSize = checkBatchSize(input.batchSize, cache);
  const ids = integerInput(input.inputIds, 'input.inputIds', FUNCTION_NAME, 0, vocabSize - 1);
  if (ids.length === 0 || ids.length % batchSize !== 0) {
    throw new ShapeMismatchError(
      'input.inputIds',
      FUNCTION_NAME,
      `a positive multiple of batchSize ${batchSize} entries`,
      `${ids.length}`,
    );
  }
  const length = ids.length / batchSize;
  const total = pastLength + length;
  const mask = checkMask(input.attentionMask, past, batchSize, length, total);
  const positions =
    input.positionIds === undefined
      ? defaultPositions(mask, batchSize, length, total)
      : integerInput(input.positionIds, 'input.positionIds', FUNCTION_NAME, 0, MAX_INT32);
  expectLength('input.positionIds', positions.length, batchSize, length, 'length');
  return { batchSize, length, pastLength, ids, mask, positions, past };
}

function checkPast(past: unknown, owner: object): CacheState | null {
  if (past === undefined) return null;
  const state = cacheState(past);
  if (state === undefined) {
    throw new InvalidArgumentError(
      'input.past',
      FUNCTION_NAME,
      'must be the present cache a previous forward call returned.',
    );
  }
  if (state.owner !== owner) {
    throw new InvalidArgumentError(
      'input.past',
      FUNCTION_NAME,
      'must come from this model, but it was made by another GenerationModel.',
    );
  }
  return state;
}

function checkBatchSize(batchSize: unknown, past: GenerationCache | undefined): number {
  if (batchSize === undefined) return past?.batchSize ?? 1;
  if (!Number.isSafeInteger(batchSize) || (batchSize as number) < 1) {
    throw new InvalidArgumentError(
      'input.batchSize',
      FUNCTION_NAME,
      `must be a positive integer, but got ${String(batchSize)}.`,
    );
  }
  if (past !== undefined && past.batchSize !== batchSize) {
    throw new ShapeMismatchError(
      'input.batchSize',
      FUNCTION_NAME,
      `${past.batchSize} rows like 'input.past'`,
      `${batchSize}`,
    );
  }
  return batchSize as number;
}

function checkMask(
  given: IntegerArray | undefined,
  past: CacheState | null,
  batchSize: number,
  length: number,
  total: number,
): Uint8Array {
  if (given !== undefined) {
    const mask = Uint8Array.from(integerInput(given, 'input.attentionMask', FUNCTION_NAME, 0, 1));
    expectLength('input.attentionMask', mask.length, batchSize, total, 'past length + length');
    return mask;
  }
  const mask = new Uint8Array(batchSize * total).fill(1);
  const pastLength = total - length;
  for (let b = 0; b < batchSize && past !== null; b++) {
    mask.set(past.mask.subarray(b * pastLength, (b + 1) * pastLength), b * total);
  }
  return mask;
}

/** Hugging Face `generate`'s positions: `cumsum(mask) - 1`, 1 at padding, for the new tokens. */
function defaultPositions(mask: Uint8Array, batchSize: number, length: number, total: number): Float64Array {
  const positions = new Float64Array(batchSize * length);
  for (let b = 0; b < batchSize; b++) {
    let seen = 0;
    for (let t = 0; t < total; t++) {
      const real = mask[b * total + t] === 1;
      if (real) seen++;
      const i = t - (total - length);
      if (i >= 0) positions[b * length + i] = real ? seen - 1 : 1;
    }
  }
  return positions;
}

function expectLength(
  argument: string,
  actual: number,
  batchSize: number,
  columns: number,
  what: string,
): void {
  if (actual === batchSize * columns) return;
  throw new ShapeMismatchError(
    argument,
    FUNCTION_NAME,
    `batchSize × ${what} = ${batchSize} × ${columns} = ${batchSize * columns} entries`,
    `${actual}`,
  );
}
