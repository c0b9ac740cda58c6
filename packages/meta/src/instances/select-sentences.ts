import { InvalidArgumentError } from '@xling/core';
import { checkInstanceSet, sentenceRows } from '../internal/check-instance-set.js';
import type { InstanceSet } from './instance-set.js';

/**
 * A new {@link InstanceSet} holding the given sentences of `set`, in the given order (e.g. the
 * N labelled target sentences of a few-shot support set, or an episode's query). Vectors are
 * copied in their precision (float32 stays float32); `task`, `fitSplit` and `language` carry over.
 *
 * @throws XLING_INVALID_ARGUMENT for a sentence index out of range
 * @example selectSentences(target.train, [0, 1, 2, 3, 4]) // the first five sentences
 */
export function selectSentences(set: InstanceSet, sentences: readonly number[]): InstanceSet {
  const s = checkInstanceSet(set, 'set', 'selectSentences');
  const count = s.sentenceOffsets.length - 1;
  for (const i of sentences) {
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new InvalidArgumentError(
        'sentences',
        'selectSentences',
        `must hold sentence indices in [0, ${count}), but got ${i}.`,
      );
    }
  }
  const rows = sentenceRows(s.sentenceOffsets, sentences);
  const d = s.x.cols;
  const data =
    s.x.data instanceof Float32Array ? new Float32Array(rows.length * d) : new Float64Array(rows.length * d);
  const labels = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    data.set(s.x.data.subarray(rows[r] * d, rows[r] * d + d), r * d);
    labels[r] = s.labels[rows[r]];
  }
  const offsets = new Int32Array(sentences.length + 1);
  for (let i = 0; i < sentences.length; i++) {
    offsets[i + 1] = offsets[i] + s.sentenceOffsets[sentences[i] + 1] - s.sentenceOffsets[sentences[i]];
  }
  return {
    x: { rows: rows.length, cols: d, data },
    labels,
    sentenceOffsets: offsets,
    numLabels: s.numLabels,
    ...(set.task !== undefined ? { task: set.task } : {}),
    ...(set.fitSplit !== undefined ? { fitSplit: set.fitSplit } : {}),
    ...(set.language !== undefined ? { language: set.language } : {}),
    ...(set.wordIds !== undefined ? { wordIds: Int32Array.from(rows, (r) => set.wordIds![r]) } : {}),
  };
}
