// Test-only helpers (not exported): the tiny fixture decoder and a tiny ICL experiment config.
import { copyFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { buildOnnxFromCheckpoint } from '@xling/extract';

const PACKAGES = resolve(import.meta.dirname, '../../..');

/**
 * Builds the tiny random LLaMA of @xling/extract's fixtures (2 layers, d = 32, 64 positions) into
 * `dir` with @xling/icl's fixture WordPiece tokenizer (the one its golden tests use).
 */
export async function buildFixtureDecoder(dir: string): Promise<string> {
  const out = join(dir, 'decoder');
  await buildOnnxFromCheckpoint(join(PACKAGES, 'extract', 'src', '__fixtures__', 'build', 'llama'), out);
  await copyFile(
    join(PACKAGES, 'icl', 'src', '__fixtures__', 'icl-tokenizer.json'),
    join(out, 'tokenizer.json'),
  );
  return out;
}

/**
 * A tiny ICL experiment: source en, meta-training de and fr, target cy and the test-only
 * UD_Warlpiri-UFAL, k = 1, 2 runs, a handful of sentences (the decoder fits ~8 words).
 */
export function tinyIclConfig(outDir: string, decoder: string): Record<string, unknown> {
  return {
    model: 'models/unused-encoder',
    outDir,
    sourceLanguage: 'en',
    metaLanguages: ['de', 'fr'],
    validationLanguages: [],
    targetLanguages: ['cy'],
    lowResourceTreebanks: ['UD_Warlpiri-UFAL'],
    maxFitSentences: 30,
    probe: { epochs: 2, k: { upos: 4, deprel: 4 } },
    meta: { epochs: 1, episodesPerLanguage: 2, querySize: 3, minCount: 1 },
    bootstrap: { resamples: 20 },
    threads: 1,
    icl: { model: decoder, k: 1, runs: 2, maxSentences: 12 },
  };
}
