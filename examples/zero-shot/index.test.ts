import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './index.js';

const TINY_BERT = resolve(import.meta.dirname, '../../packages/extract/src/__fixtures__/models/tiny-bert');

describe('zero-shot example', () => {
  it('main({ model: tinyBert, ... }) scores all six methods on Welsh and the four that apply to test-only Warlpiri', async () => {
    const lines: string[] = [];
    const scores = await main({
      model: TINY_BERT,
      outDir: mkdtempSync(join(tmpdir(), 'xling-example-')),
      metaLanguages: ['en', 'de'],
      targetLanguages: ['cy'],
      tasks: ['upos'],
      maxFitSentences: 40,
      maxTestSentences: 20,
      probeEpochs: 2,
      metaEpochs: 1,
      episodesPerLanguage: 2,
      resamples: 20,
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toMatch(/^Model .*tiny-bert \(layer 2\); report: .*report\.html$/);
    expect(lines).toContain(`${'method'.padEnd(17)}${'cy'.padStart(20)}${'wbp'.padStart(20)}`);
    expect(lines.find((l) => l.startsWith('procrustes'))).toMatch(/^procrustes +\d+\.\d \[\d+, \d+\] +-$/);
    expect(lines.find((l) => l.startsWith('meta '))).toMatch(
      /^meta +\d+\.\d \[\d+, \d+\] +\d+\.\d \[\d+, \d+\]$/,
    );
    expect(scores.filter((s) => s.language === 'cy')).toHaveLength(6);
    expect(
      scores
        .filter((s) => s.language === 'wbp')
        .map((s) => s.method)
        .sort(),
    ).toEqual(['majority', 'meta', 'source-classifier', 'source-probe']);
  });
});
