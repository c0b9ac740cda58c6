import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './index.js';

const TINY_BERT = resolve(import.meta.dirname, '../../packages/extract/src/__fixtures__/models/tiny-bert');

describe('few-shot example', () => {
  it('main({ model: tinyBert, shots: [1, 3], ... }) prints the adapter and the support-only probe at each N', async () => {
    const lines: string[] = [];
    const curves = await main({
      model: TINY_BERT,
      outDir: mkdtempSync(join(tmpdir(), 'xling-example-')),
      metaLanguages: ['en', 'de'],
      targetLanguages: ['cy'],
      shots: [1, 3],
      seeds: [1, 2],
      epochs: 2,
      maxFitSentences: 40,
      maxTestSentences: 20,
      probeEpochs: 2,
      metaEpochs: 1,
      episodesPerLanguage: 2,
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toMatch(/^Model .*tiny-bert \(layer 2\); report: .*report\.html$/);
    expect(lines).toContain('upos cy:');
    expect(lines.find((l) => l.startsWith('few-shot-adapter'))).toMatch(
      /^few-shot-adapter +\d+\.\d \[\d+, \d+\] +\d+\.\d \[\d+, \d+\]$/,
    );
    expect(curves.map((c) => c.method).sort()).toEqual([
      'few-shot-adapter',
      'identity-adapter',
      'probe-on-support',
    ]);
    for (const curve of curves) {
      expect(curve.points.map((p) => [p.n, p.seeds])).toEqual([
        [1, 2],
        [3, 2],
      ]);
    }
  });
});
