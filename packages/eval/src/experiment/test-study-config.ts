// Test-only helper (not exported): the small study the experiment tests run.
import { join } from 'node:path';
import { type ExperimentConfig, resolveExperimentConfig } from './experiment-config.js';

/**
 * Tests' small study on the shared UD data: English as the source, German as a second
 * meta-language, French for validation and as the target, 20 fitting and 10 test sentences, at
 * layers 2 and 1 (not sorted: the extraction lists its keys by layer), with `model` and the
 * output folder `root/out`; `extra` adds or overrides keys.
 */
export function threeLanguageStudy(
  model: string,
  root: string,
  out: string,
  extra: Record<string, unknown> = {},
): ExperimentConfig {
  return resolveExperimentConfig({
    ...extra,
    model,
    outDir: join(root, out),
    layers: [2, 1],
    sourceLanguage: 'en',
    metaLanguages: ['en', 'de'],
    validationLanguages: ['fr'],
    targetLanguages: ['fr'],
    lowResourceTreebanks: [],
    maxFitSentences: 20,
    maxTestSentences: 10,
    threads: 1,
  });
}
