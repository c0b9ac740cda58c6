import { createRng } from '@xling/core';
import { type InstanceSet, selectSentences } from '@xling/meta';

/** One language's data for meta-learning: what it trains on and what judges model selection. */
export interface MetaLanguageData {
  language: string;
  /** Its fitting split's instances. */
  fit: InstanceSet;
  /** Its dev split's instances, when dev is not the fitting split. */
  dev?: InstanceSet;
  meta: boolean;
  validation: boolean;
}

/** Share of a language's fitting sentences held out for validation when it has no separate dev split. */
export const VALIDATION_HOLDOUT = 0.2;

/**
 * Splits the meta-learning data so that model selection never scores sentences the learner was
 * trained on. A validation language validates on its dev split when it has one apart from the
 * fitting split; otherwise (dev is the fitting split, as for most treebanks of the offline copy)
 * a seeded 20% of its fitting sentences is held out for validation and, if it is also a
 * meta-training language, removed from its training data.
 */
export function metaSplits(
  languages: readonly MetaLanguageData[],
  seed: number,
): { training: Record<string, InstanceSet>; validation: Record<string, InstanceSet> } {
  const training: Record<string, InstanceSet> = {};
  const validation: Record<string, InstanceSet> = {};
  for (const l of languages) {
    if (l.validation && l.dev) validation[l.language] = l.dev;
    if (l.validation && !l.dev) {
      const n = (l.fit.sentenceOffsets?.length ?? l.fit.labels.length + 1) - 1;
      const order = createRng(seed)
        .fork(`validation-holdout/${l.language}`)
        .shuffle([...Array(n).keys()]);
      const held = Math.max(1, Math.round(n * VALIDATION_HOLDOUT));
      validation[l.language] = selectSentences(
        l.fit,
        order.slice(0, held).sort((a, b) => a - b),
      );
      if (l.meta)
        training[l.language] = selectSentences(
          l.fit,
          order.slice(held).sort((a, b) => a - b),
        );
    } else if (l.meta) {
      training[l.language] = l.fit;
    }
  }
  return { training, validation };
}
