import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './index.js';

const TINY_BERT = resolve(import.meta.dirname, '../../packages/extract/src/__fixtures__/models/tiny-bert');

describe('alignability example', () => {
  it('main({ model: tinyBert, ... }) prints an RSA matrix with p-values and every metric with its control', async () => {
    const lines: string[] = [];
    const matrices = await main({
      model: TINY_BERT,
      outDir: mkdtempSync(join(tmpdir(), 'xling-example-')),
      languages: ['en', 'de', 'fr'],
      maxFitSentences: 40,
      probeEpochs: 2,
      permutations: 9,
      log: (line) => lines.push(line),
    });
    expect(lines[0]).toMatch(/^Model .*tiny-bert \(layer 2 of 3\); report: .*report\.html$/);
    // Languages in the report's order (alphabetical here); the diagonal is '-'.
    expect(lines).toContain(`    ${'de'.padStart(14)}${'en'.padStart(14)}${'fr'.padStart(14)}`);
    expect(lines.find((l) => l.startsWith('en  '))).toMatch(
      /^en {2,}-?\d\.\d\d \(0\.\d{3}\) +- +-?\d\.\d\d \(0\.\d{3}\)$/,
    );
    expect(matrices.map((m) => `${m.task} ${m.metric}`).sort()).toEqual([
      'deprel linear-cka',
      'deprel procrustes',
      'deprel rsa',
      'upos linear-cka',
      'upos procrustes',
      'upos rsa',
    ]);
    expect(lines.filter((l) => / control -?\d\.\d{3}$/.test(l))).toHaveLength(6);
  });
});
