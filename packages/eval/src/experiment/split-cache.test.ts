import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedTreebank } from '@xling/ud';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExtractedSplit } from './extract-split.js';
import { loadSplit, saveSplit, splitFiles } from './split-cache.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A treebank with one test file, and what reading 3 of its 5 sentences gave. */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'xling-splits-'));
  dirs.push(dir);
  const file = join(dir, 'xx_t-ud-test.conllu');
  writeFileSync(file, '# five sentences\n');
  const treebank = {
    name: 'UD_X-T',
    splits: { test: { files: [{ path: file }] } },
  } as unknown as ResolvedTreebank;
  const expected = {
    modelName: 'm',
    layers: [2, 1],
    pooling: 'mean' as const,
    overflow: 'window' as const,
    cap: 3,
    seed: 7,
  };
  const storeSplit = 'test.sample3-seed7.windows';
  const read: ExtractedSplit = {
    treebank: 'UD_X-T',
    split: 'test',
    storeSplit,
    available: 5,
    used: 3,
    stored: 3,
    preprocess: { merged: 0 } as unknown as ExtractedSplit['preprocess'],
    // Layers as the extraction lists them (sorted), not as the config does.
    keys: [1, 2].map((layer) => ({
      model: 'm',
      layer,
      pooling: 'mean',
      treebank: 'UD_X-T',
      split: storeSplit,
    })),
    forms: [['a'], ['b', 'c'], ['d']],
  };
  return { dir, file, treebank, expected, read };
}

describe('split cache', () => {
  it('gives back what was read, without the stored count', async () => {
    const { dir, treebank, expected, read } = fixture();
    await saveSplit(dir, 'u', read, await splitFiles(treebank, 'test'));
    const { stored: _, ...facts } = read;
    expect(await loadSplit(dir, 'u', treebank, 'test', expected)).toEqual(facts);
    expect(await loadSplit(dir, 'other', treebank, 'test', expected)).toBeUndefined();
  });

  it('reads the treebank again when a file changed or the settings disagree with the sample and keys', async () => {
    const { dir, file, treebank, expected, read } = fixture();
    await saveSplit(dir, 'u', read, await splitFiles(treebank, 'test'));
    for (const changed of [
      { ...expected, cap: 4 },
      { ...expected, seed: 8 },
      { ...expected, overflow: 'skip' as const },
      { ...expected, layers: [2] },
      { ...expected, pooling: 'first' as const },
      { ...expected, modelName: 'n' },
    ])
      expect(await loadSplit(dir, 'u', treebank, 'test', changed), JSON.stringify(changed)).toBeUndefined();
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await loadSplit(dir, 'u', treebank, 'test', expected)).toBeUndefined();
  });

  it('treats an unreadable or foreign cache file as absent', async () => {
    const { dir, treebank, expected, read } = fixture();
    await saveSplit(dir, 'u', read, await splitFiles(treebank, 'test'));
    writeFileSync(join(dir, 'u.json'), '{"format": "xling-split", "files": [');
    expect(await loadSplit(dir, 'u', treebank, 'test', expected)).toBeUndefined();
    writeFileSync(join(dir, 'u.json'), JSON.stringify({ format: 'other' }));
    expect(await loadSplit(dir, 'u', treebank, 'test', expected)).toBeUndefined();
    await saveSplit(dir, 'u', { ...read, forms: read.forms.slice(1) }, await splitFiles(treebank, 'test'));
    expect(await loadSplit(dir, 'u', treebank, 'test', expected)).toBeUndefined();
    // Hand-edited: forms that are not lists of words, or another split's facts under this name.
    await saveSplit(
      dir,
      'u',
      { ...read, forms: 'abc' as unknown as string[][] },
      await splitFiles(treebank, 'test'),
    );
    expect(await loadSplit(dir, 'u', treebank, 'test', expected)).toBeUndefined();
    await saveSplit(dir, 'u', read, await splitFiles(treebank, 'test'));
    expect(await loadSplit(dir, 'u', treebank, 'dev', expected)).toBeUndefined();
  });
});
