// Test-only helpers for sharded runs: a 3-language config and the comparison with one process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTree } from '@xling/core/testing';
import { writeTinyConfig } from './test-experiment.js';

/** The tiny config cut to 3 languages (en, de, fr: 6 extraction units) and few sentences. */
export function writeThreeLanguageConfig(): { dir: string; config: string } {
  return writeTinyConfig({
    metaLanguages: ['en', 'de'],
    validationLanguages: ['fr'],
    targetLanguages: ['fr'],
    lowResourceTreebanks: [],
    maxFitSentences: 20,
    maxTestSentences: 10,
  });
}

/**
 * What must be byte-identical between a sharded and a single-process run of one config: every
 * file of `<outDir>/store/` (manifest.json and the safetensors shards) and the run's report.json
 * with `run.createdAt` (wall-clock time by design) blanked. Returns the files that differ.
 */
export function differences(single: string, sharded: string, runDir: string): string[] {
  const report = (out: string) => {
    const result = JSON.parse(readFileSync(join(out, runDir, 'report.json'), 'utf8'));
    result.run.createdAt = '';
    return JSON.stringify(result);
  };
  const a = fileTree(join(single, 'store'));
  const b = fileTree(join(sharded, 'store'));
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const differ = paths.filter((path) => !a.get(path)?.equals(b.get(path) ?? Buffer.alloc(0)));
  if (report(single) !== report(sharded)) differ.push(`${runDir}/report.json`);
  return differ;
}
