import {
  DEPREL_LABELS,
  InvalidArgumentError,
  type RepresentationKey,
  type RepresentationStore,
  ShapeMismatchError,
  UPOS_LABELS,
} from '@xling/core';
import { type FitSplit, type InstanceSet, buildInstancesFromTensors, wordFormId } from '@xling/meta';

/**
 * Reads one complete store entry written by `extractHiddenStates` and builds the labelled
 * instances of a task (METHOD.md section 2: POS = word vector; deprel = head minus dependent, the
 * root's head being the sentence's [CLS]/BOS vector). With the forms of the extracted sentences
 * (input order), each instance also carries the id of its word form (the dependent's, for deprel),
 * which the word-lookup baseline and the control task need.
 *
 * @throws XLING_STORE_INCOMPLETE for a missing or partial entry; XLING_INVALID_ARGUMENT naming the
 * tensor when the entry was not written by extraction; XLING_SHAPE_MISMATCH when `forms` does not
 * match the entry's sentences.
 */
export async function storeInstances(
  store: RepresentationStore,
  key: RepresentationKey,
  task: 'upos' | 'deprel',
  info: { fitSplit?: FitSplit; language?: string; forms?: readonly (readonly string[])[] } = {},
): Promise<InstanceSet> {
  const tensors = await store.read(key);
  // Extraction stores the task's label ids as indices into core's inventory.
  const labelIds = tensors[task]?.data;
  if (!(labelIds instanceof Int32Array)) {
    throw new InvalidArgumentError(
      `tensors.${task}`,
      'storeInstances',
      `must be the I32 label ids extraction writes, but the entry ${key.treebank}/${key.split} has ${tensors[task] === undefined ? 'none' : tensors[task].dtype}.`,
    );
  }
  return buildInstancesFromTensors(
    {
      tensors,
      labelIds,
      labelNames: task === 'upos' ? UPOS_LABELS : DEPREL_LABELS,
      ...(info.forms ? { wordIds: formIds(tensors, info.forms, key) } : {}),
    },
    {
      task,
      ...(info.fitSplit ? { fitSplit: info.fitSplit } : {}),
      ...(info.language ? { language: info.language } : {}),
    },
  );
}

/** Word-form ids of every stored word, from the entry's `sentence_index` into the input sentences. */
function formIds(
  tensors: Awaited<ReturnType<RepresentationStore['read']>>,
  forms: readonly (readonly string[])[],
  key: RepresentationKey,
): Int32Array {
  const index = tensors.sentence_index?.data as Int32Array | undefined;
  const counts = tensors.word_counts?.data as Int32Array | undefined;
  const mismatch = (detail: string) =>
    new ShapeMismatchError(
      'forms',
      'storeInstances',
      `the sentences of ${key.treebank}/${key.split}`,
      detail,
    );
  if (!index || !counts || index.length !== counts.length) throw mismatch('an entry without sentence_index');
  const ids: number[] = [];
  index.forEach((s, i) => {
    const words = forms[s];
    if (!words || words.length !== counts[i])
      throw mismatch(`sentence ${s} with ${words?.length ?? 0} forms for ${counts[i]} stored words`);
    for (const form of words) ids.push(wordFormId(form));
  });
  return Int32Array.from(ids);
}
