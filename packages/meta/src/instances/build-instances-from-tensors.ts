import {
  DEPREL_LABELS,
  InvalidArgumentError,
  type Matrix,
  ShapeMismatchError,
  type Tensor,
  UPOS_LABELS,
  float16ToFloat32,
} from '@xling/core';
import {
  type BuildInstancesOptions,
  type InstanceWord,
  buildInstancesWithWordIds,
} from './build-instances.js';
import type { InstanceSet } from './instance-set.js';

function vectors(tensors: Record<string, Tensor>, name: string, fn: string): Matrix {
  const t = tensors[name];
  if (t === undefined) throw new InvalidArgumentError(`tensors.${name}`, fn, 'is required, but is missing.');
  if (t.shape.length !== 2)
    throw new ShapeMismatchError(`tensors.${name}`, fn, '2 dimensions', `[${t.shape.join(', ')}]`);
  let data: Float32Array;
  if (t.dtype === 'F32') data = t.data as Float32Array;
  else if (t.dtype === 'F16') data = float16ToFloat32(t.data as Uint16Array);
  else
    throw new InvalidArgumentError(
      `tensors.${name}.dtype`,
      fn,
      `must be 'F32' or 'F16', but got '${t.dtype}'.`,
    );
  return { rows: t.shape[0], cols: t.shape[1], data };
}

function ints(tensors: Record<string, Tensor>, name: string, fn: string, length?: number): Int32Array {
  const t = tensors[name];
  if (t === undefined) throw new InvalidArgumentError(`tensors.${name}`, fn, 'is required, but is missing.');
  if (t.dtype !== 'I32')
    throw new InvalidArgumentError(`tensors.${name}.dtype`, fn, `must be 'I32', but got '${t.dtype}'.`);
  const data = t.data as Int32Array;
  if (length !== undefined && data.length !== length)
    throw new ShapeMismatchError(`tensors.${name}`, fn, `${length} entries`, String(data.length));
  return data;
}

/** Options of {@link buildInstancesFromTensors}: those of {@link buildInstances}, plus word ids. */
export interface BuildInstancesFromTensorsOptions extends BuildInstancesOptions {
  /**
   * Word-form id of each stored word (`wordFormId(form)`), length W, aligned with the rows of
   * `words`; carried to the output's `wordIds` for the words that are kept.
   * @defaultValue none: the output has no `wordIds`
   */
  wordIds?: Int32Array;
}

/**
 * {@link buildInstances} over one representation-store entry as `@xling/extract` writes it
 * (`store.read(key)`): `words` [W, d] (F32 or F16), `root` [S, d], `word_counts` [S], and the
 * label ids `upos` / `deprel` and `head` [W] (-1 = unknown: such words are dropped). Keeps
 * float32 vectors float32. `options.wordIds` (one per stored word) become the output's `wordIds`.
 *
 * @throws XLING_INVALID_ARGUMENT for a missing tensor or dtype, or `wordIds` that is not an Int32Array;
 * XLING_SHAPE_MISMATCH for inconsistent lengths (`wordIds` included)
 * @example buildInstancesFromTensors(await store.read(key), { task: 'deprel', fitSplit: 'dev', language: 'de' })
 */
export function buildInstancesFromTensors(
  tensors: Record<string, Tensor>,
  options: BuildInstancesFromTensorsOptions,
): InstanceSet {
  const fn = 'buildInstancesFromTensors';
  const wordVectors = vectors(tensors, 'words', fn);
  // buildInstances rejects unknown options, so `wordIds` is taken out (a non-object is passed on to fail there).
  let buildOptions: BuildInstancesOptions = options;
  let wordIds: Int32Array | undefined;
  if (typeof options === 'object' && options !== null) ({ wordIds, ...buildOptions } = options);
  if (wordIds !== undefined) {
    if (!(wordIds instanceof Int32Array)) {
      throw new InvalidArgumentError(
        'options.wordIds',
        fn,
        `must be an Int32Array of word-form ids, but got ${Array.isArray(wordIds) ? 'an array' : typeof wordIds}.`,
      );
    }
    if (wordIds.length !== wordVectors.rows) {
      throw new ShapeMismatchError(
        'options.wordIds',
        fn,
        `${wordVectors.rows} entries (one per row of 'tensors.words')`,
        String(wordIds.length),
      );
    }
  }
  const counts = ints(tensors, 'word_counts', fn);
  const task = options?.task;
  const labels = ints(tensors, task === 'deprel' ? 'deprel' : 'upos', fn, wordVectors.rows);
  const heads = task === 'deprel' ? ints(tensors, 'head', fn, wordVectors.rows) : undefined;
  const names: readonly string[] = task === 'deprel' ? DEPREL_LABELS : UPOS_LABELS;
  const sentences: Array<{ words: InstanceWord[] }> = [];
  let row = 0;
  for (let s = 0; s < counts.length; s++) {
    const words: InstanceWord[] = [];
    for (let i = 0; i < counts[s]; i++, row++) {
      const id = labels[row];
      const head = heads === undefined ? 0 : heads[row];
      // Unknown labels ('_') and unknown heads are dropped by buildInstances.
      const name = id >= 0 && id < names.length && head >= 0 ? names[id] : '_';
      words.push({
        upos: task === 'deprel' ? '_' : name,
        deprel: task === 'deprel' ? name : '_',
        head: Math.max(head, 0),
      });
    }
    sentences.push({ words });
  }
  const rootVectors = task === 'deprel' ? vectors(tensors, 'root', fn) : undefined;
  const input = { sentences, wordVectors, ...(rootVectors !== undefined ? { rootVectors } : {}) };
  return buildInstancesWithWordIds(input, buildOptions, wordIds);
}
