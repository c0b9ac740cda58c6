import {
  InvalidArgumentError,
  type Matrix,
  ShapeMismatchError,
  type Tensor,
  float16ToFloat32,
} from '@xling/core';

function float32(tensor: Tensor, name: string): Float32Array {
  if (tensor.dtype === 'F32') return tensor.data as Float32Array;
  if (tensor.dtype === 'F16') return float16ToFloat32(tensor.data as Uint16Array);
  throw new InvalidArgumentError(
    `tensors.${name}`,
    'headDependentDifferences',
    `must be F32 or F16, but got ${tensor.dtype}.`,
  );
}

/**
 * Deprel instances from stored word vectors (METHOD.md section 2): row i is
 * `r_i = h_head(i) − h_i`, the gold head's vector minus the dependent's, where the head of the
 * root (head 0) is the sentence's `root` vector ([CLS]/BOS, or zeros for families without a start
 * token). `tensors` is what `RepresentationStore.read` (or one shard) returns for an
 * {@link extractHiddenStates} entry: `words [W, d]`, `root [S, d]`, `word_counts [S]`,
 * `head [W]`. Returns a float32 `W × d` matrix in the order of `words`.
 *
 * @throws XLING_INVALID_ARGUMENT for a missing tensor, a word without head (-1) or a head outside
 * its sentence.
 * @throws XLING_SHAPE_MISMATCH when the tensors disagree in size.
 */
export function headDependentDifferences(tensors: Record<string, Tensor>): Matrix {
  const fn = 'headDependentDifferences';
  for (const name of ['words', 'root', 'word_counts', 'head']) {
    if (!tensors[name])
      throw new InvalidArgumentError(
        `tensors.${name}`,
        fn,
        'is missing; pass the tensors of an extractHiddenStates entry.',
      );
  }
  const [rows, d] = tensors.words.shape;
  const words = float32(tensors.words, 'words');
  const root = float32(tensors.root, 'root');
  const counts = tensors.word_counts.data as Int32Array;
  const heads = tensors.head.data as Int32Array;
  const total = counts.reduce((a, b) => a + b, 0);
  if (
    total !== rows ||
    heads.length !== rows ||
    tensors.root.shape[0] !== counts.length ||
    tensors.root.shape[1] !== d
  ) {
    throw new ShapeMismatchError(
      'tensors',
      fn,
      `words [W, d] with W = sum(word_counts) = head length and root [sentences, d] (d = ${d})`,
      `words [${tensors.words.shape}], word_counts summing to ${total}, head [${heads.length}], root [${tensors.root.shape}]`,
    );
  }
  const out = new Float32Array(rows * d);
  let start = 0;
  for (let s = 0; s < counts.length; s++) {
    for (let w = 0; w < counts[s]; w++) {
      const i = start + w;
      const head = heads[i];
      if (head < 0 || head > counts[s]) {
        throw new InvalidArgumentError(
          'tensors.head',
          fn,
          `must hold heads in 0..${counts[s]} for sentence row ${s}, but word ${w + 1} has ${head}.`,
        );
      }
      const from =
        head === 0
          ? root.subarray(s * d, s * d + d)
          : words.subarray((start + head - 1) * d, (start + head) * d);
      for (let j = 0; j < d; j++) out[i * d + j] = from[j] - words[i * d + j];
    }
    start += counts[s];
  }
  return { rows, cols: d, data: out };
}
