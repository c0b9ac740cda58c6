import type { InstanceSet } from '@xling/meta';

/** The instances of the sentences `indices` (in that order), as a new set. */
export function selectSentences(set: InstanceSet, indices: readonly number[]): InstanceSet {
  const offsets = set.sentenceOffsets ?? Int32Array.from({ length: set.labels.length + 1 }, (_, i) => i);
  const d = set.x.cols;
  let rows = 0;
  for (const s of indices) rows += offsets[s + 1] - offsets[s];
  const x = new Float64Array(rows * d);
  const labels = new Int32Array(rows);
  const sentenceOffsets = new Int32Array(indices.length + 1);
  let r = 0;
  indices.forEach((s, i) => {
    const start = offsets[s];
    const end = offsets[s + 1];
    x.set(set.x.data.subarray(start * d, end * d), r * d);
    labels.set(set.labels.subarray(start, end), r);
    r += end - start;
    sentenceOffsets[i + 1] = r;
  });
  return { ...set, x: { rows, cols: d, data: x }, labels, sentenceOffsets };
}

/** Number of sentences of an instance set. */
export function sentenceCount(set: InstanceSet): number {
  return set.sentenceOffsets ? set.sentenceOffsets.length - 1 : set.labels.length;
}
