import type { Sentence } from '../conllu/types.js';
import { createPreprocessor, type PreprocessOptions } from './create-preprocessor.js';
import type { PreprocessReport } from './preprocess-report.js';

/**
 * Applies the reference pre-processing of METHOD.md section 1 to a list of sentences: drop
 * comments and empty nodes, merge multiword tokens (head rule of {@link mergeMultiwordTokens}),
 * strip deprel subtypes, drop sentences longer than `maxWords` words, drop sentences that are
 * not trees rooted at 0. Inputs are not modified.
 *
 * @see METHOD.md section 1
 * @param sentences - Sentences, e.g. from {@link parseConllu}.
 * @param options - See {@link PreprocessOptions}.
 * @returns The kept sentences and a {@link PreprocessReport} of what each step changed or removed.
 * @throws XLING_INVALID_ARGUMENT for bad options.
 * @example
 * const { sentences, report } = preprocessSentences(parseConllu(text));
 * report.multiwordTokens.tokensMerged; // e.g. 12
 */
export function preprocessSentences(
  sentences: Iterable<Sentence>,
  options?: PreprocessOptions,
): { sentences: Sentence[]; report: PreprocessReport } {
  const preprocessor = createPreprocessor(options);
  const kept: Sentence[] = [];
  for (const sentence of sentences) {
    const result = preprocessor.apply(sentence);
    if (result !== null) kept.push(result);
  }
  return { sentences: kept, report: preprocessor.report };
}
