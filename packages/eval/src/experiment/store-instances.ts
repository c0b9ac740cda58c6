import type { RepresentationKey, RepresentationStore } from '@xling/core';
import { type FitSplit, type InstanceSet, buildInstancesFromTensors } from '@xling/meta';

/**
 * Reads one complete store entry written by `extractHiddenStates` and builds the labelled
 * instances of a task (METHOD.md section 2: POS = word vector; deprel = head minus dependent, the
 * root's head being the sentence's [CLS]/BOS vector).
 *
 * @throws XLING_STORE_INCOMPLETE for a missing or partial entry; XLING_INVALID_ARGUMENT naming the
 * tensor when the entry was not written by extraction.
 */
export async function storeInstances(
  store: RepresentationStore,
  key: RepresentationKey,
  task: 'upos' | 'deprel',
  info: { fitSplit?: FitSplit; language?: string } = {},
): Promise<InstanceSet> {
  return buildInstancesFromTensors(await store.read(key), {
    task,
    ...(info.fitSplit ? { fitSplit: info.fitSplit } : {}),
    ...(info.language ? { language: info.language } : {}),
  });
}
