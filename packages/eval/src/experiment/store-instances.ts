import {
  DEPREL_LABELS,
  type Matrix,
  type RepresentationKey,
  type RepresentationStore,
  type Tensor,
  UPOS_LABELS,
  XlingError,
  float16ToFloat32,
} from '@xling/core';
import { type FitSplit, type InstanceSet, buildInstances } from '@xling/meta';

function asFloat32(t: Tensor, name: string, key: RepresentationKey): Matrix<Float32Array> {
  if (t.shape.length !== 2) {
    throw new XlingError(
      'XLING_STORE_MISMATCH',
      `Store entry ${key.treebank}/${key.split} layer ${key.layer}: '${name}' should be 2-D, but has shape [${t.shape}].`,
    );
  }
  const data = t.dtype === 'F16' ? float16ToFloat32(t.data as Uint16Array) : (t.data as Float32Array);
  return { rows: t.shape[0], cols: t.shape[1], data };
}

function required(tensors: Record<string, Tensor>, name: string, key: RepresentationKey): Tensor {
  const t = tensors[name];
  if (!t) {
    throw new XlingError(
      'XLING_STORE_MISMATCH',
      `Store entry ${key.model} ${key.treebank}/${key.split} layer ${key.layer} has no '${name}' tensor: it was not written by @xling/extract's extractHiddenStates.`,
    );
  }
  return t;
}

/**
 * Reads one complete store entry written by `extractHiddenStates` and builds the labelled
 * instances of a task (METHOD.md section 2: POS = word vector; deprel = head minus dependent, the
 * root's head being the sentence's [CLS]/BOS vector).
 *
 * @throws XLING_STORE_INCOMPLETE / XLING_STORE_MISMATCH for a missing, partial or foreign entry.
 */
export async function storeInstances(
  store: RepresentationStore,
  key: RepresentationKey,
  task: 'upos' | 'deprel',
  info: { fitSplit?: FitSplit; language?: string } = {},
): Promise<InstanceSet> {
  const tensors = await store.read(key);
  const words = asFloat32(required(tensors, 'words', key), 'words', key);
  const root = asFloat32(required(tensors, 'root', key), 'root', key);
  const counts = required(tensors, 'word_counts', key).data as Int32Array;
  const uposIds = required(tensors, 'upos', key).data as Int32Array;
  const deprelIds = required(tensors, 'deprel', key).data as Int32Array;
  const heads = required(tensors, 'head', key).data as Int32Array;
  const sentences: Array<{ words: Array<{ upos: string; head: number; deprel: string }> }> = [];
  let w = 0;
  for (const n of counts) {
    const sentenceWords = [];
    for (let i = 0; i < n; i++, w++) {
      sentenceWords.push({
        upos: UPOS_LABELS[uposIds[w]] ?? '_',
        head: heads[w],
        deprel: DEPREL_LABELS[deprelIds[w]] ?? '_',
      });
    }
    sentences.push({ words: sentenceWords });
  }
  return buildInstances(
    { sentences, wordVectors: words, rootVectors: root },
    {
      task,
      ...(info.fitSplit ? { fitSplit: info.fitSplit } : {}),
      ...(info.language ? { language: info.language } : {}),
    },
  );
}
