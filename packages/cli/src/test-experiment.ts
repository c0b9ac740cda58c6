// Test-only helpers (not exported): the tiny fixture models and a tiny experiment config.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveUdDir } from '@xling/ud';

const FIXTURES = resolve(import.meta.dirname, '../../extract/src/__fixtures__');
/** The tiny random BERT of @xling/extract's fixtures (3 layers, d = 32, 40 positions). */
export const TINY_BERT = join(FIXTURES, 'models', 'tiny-bert');
/** The tiny random LLaMA of @xling/extract's fixtures. */
export const TINY_LLAMA = join(FIXTURES, 'models', 'tiny-llama');
/** Tiny safetensors checkpoints (bert, llama, ...) for `model build`. */
export const CHECKPOINTS = join(FIXTURES, 'build');

export const UD_DIR = resolveUdDir();

/** A tiny experiment (4 languages + Warlpiri, a few dozen sentences) as a config object. */
export function tinyConfig(outDir: string): Record<string, unknown> {
  return {
    title: 'tiny cli run',
    model: TINY_BERT,
    outDir,
    layers: [2, 1],
    overflow: 'window',
    sourceLanguage: 'en',
    metaLanguages: ['en', 'de'],
    validationLanguages: ['fr'],
    targetLanguages: ['cy'],
    lowResourceTreebanks: ['UD_Warlpiri-UFAL'],
    maxFitSentences: 40,
    maxTestSentences: 20,
    probe: { epochs: 2, k: { upos: 8, deprel: 8 } },
    meta: { epochs: 1, episodesPerLanguage: 2, querySize: 5 },
    alignability: { permutations: 9 },
    fewShot: { shots: [1, 3], seeds: [1], epochs: 2 },
    bootstrap: { resamples: 20 },
    threads: 1,
  };
}

/** A temp folder with `config.yaml` (JSON is valid YAML) holding `tinyConfig` plus `changes`. */
export function writeTinyConfig(changes: Record<string, unknown> = {}): { dir: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xling-cli-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, JSON.stringify({ ...tinyConfig(join(dir, 'out')), ...changes }, null, 2));
  return { dir, config };
}
