import { createRng } from '@xling/core';
import { CLASS_NAMES } from './class-names.js';

/** How labels are shown in the prompt (the ablations of Blevins et al. 2023). */
export type LabelForm = 'strings' | 'shuffled' | 'integers' | 'names';
export const LABEL_FORMS: readonly LabelForm[] = ['strings', 'shuffled', 'integers', 'names'];

/**
 * The text shown for each label, aligned with `labels`: the label itself ('strings'), another
 * label's name under a seeded permutation ('shuffled'), its index ('integers'), or its English
 * class name ('names': `NOUN` → `noun`, `nsubj` → `nominal subject`).
 *
 * @param seed - Seeds the 'shuffled' permutation (one permutation for every run).
 * @example
 * labelForms(['NOUN', 'VERB'], 'names'); // ['noun', 'verb']
 */
export function labelForms(labels: readonly string[], form: LabelForm, seed = 0): string[] {
  switch (form) {
    case 'strings':
      return [...labels];
    case 'shuffled':
      return createRng(seed).fork('shuffled-labels').shuffle(labels);
    case 'integers':
      return labels.map((_, i) => String(i));
    case 'names':
      // Every label of the two tasks has a name; checkTaggedSentences keeps others out.
      return labels.map((label) => CLASS_NAMES[label]);
  }
}
