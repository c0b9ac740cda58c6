import { configHash, resolveExperimentConfig } from '@xling/eval';
import { describe, expect, it } from 'vitest';
import { demoConfig, demoLayers, demoPooling } from './demo-config.js';

const input = {
  model: '/m',
  numLayers: 12,
  maxLength: 512,
  kind: 'encoder' as const,
  outDir: '/o',
  udDir: '/u',
  quick: false,
};

describe('demoConfig', () => {
  it('demoLayers(numLayers, quick) puts the layer at 7/12 of the depth first, then a sweep', () => {
    expect(demoLayers(12, false)).toEqual([7, 1, 4, 8, 12]);
    expect(demoLayers(4, false)).toEqual([2, 1, 3, 4]);
    expect(demoLayers(3, true)).toEqual([2, 3]);
    expect(demoLayers(12, true)).toEqual([7, 12]);
    expect(demoLayers(1, true)).toEqual([1]);
  });

  it("demoPooling(kind) averages an encoder's pieces and keeps a decoder's last piece, quick or not", () => {
    expect(demoPooling('encoder')).toBe('mean');
    expect(demoPooling('decoder')).toBe('last');
    expect(demoConfig(input).pooling).toBe('mean');
    expect(demoConfig({ ...input, quick: true }).pooling).toBe('mean');
    expect(demoConfig({ ...input, kind: 'decoder' }).pooling).toBe('last');
  });

  it("demoConfig({ quick: false }) uses the registry's roles, every low-resource treebank and the demo caps", () => {
    const config = demoConfig(input);
    expect(config.metaLanguages).toBeUndefined();
    expect(config.targetLanguages).toBeUndefined();
    expect(config.validationLanguages).toBeUndefined();
    expect(config.lowResourceTreebanks).toBeUndefined();
    expect(config).toMatchObject({
      maxFitSentences: 200,
      maxTestSentences: 200,
      overflow: 'skip',
      probe: { schedule: 'converge', epochs: 200 },
      meta: { epochs: 50, patience: 5, episodesPerLanguage: 5, querySize: 15 },
      alignability: { permutations: 99 },
      fewShot: { shots: [1, 5, 20], seeds: [1, 2] },
      bootstrap: { resamples: 200 },
    });
  });

  it('the full demo runs one worker process per core; its config written as JSON resolves to itself (the workers read it)', () => {
    const config = demoConfig(input);
    expect(config.workers).toBe(0);
    expect(demoConfig({ ...input, quick: true }).workers).toBe(1);
    const reread = resolveExperimentConfig(JSON.parse(JSON.stringify(config)), 'demo-config.json');
    expect(reread).toEqual(config);
    expect(configHash(reread)).toBe(configHash(config));
  });

  it('demoConfig({ quick: true }) keeps five treebanks, windows for short models, and a different hash', () => {
    const quick = demoConfig({ ...input, quick: true, maxLength: 128 });
    expect(quick.targetLanguages).toEqual(['cy']);
    expect(quick.overflow).toBe('window');
    expect(configHash(quick)).not.toBe(configHash(demoConfig(input)));
  });

  it('demoConfig({ decoder }) adds the ICL section (k = 4, 3 runs, 50 sentences) and none without it', () => {
    expect(demoConfig(input).icl).toBeUndefined();
    expect(demoConfig({ ...input, decoder: '/d' }).icl).toMatchObject({
      model: '/d',
      k: 4,
      runs: 3,
      maxSentences: 50,
      demonstrations: ['source', 'target', 'none'],
    });
    expect(demoConfig({ ...input, quick: true, decoder: '/d' }).icl).toMatchObject({ k: 1, runs: 1 });
  });
});
