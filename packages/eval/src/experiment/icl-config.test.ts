import { describe, expect, it } from 'vitest';
import { DEFAULT_ICL_CONFIG, resolveExperimentConfig } from './experiment-config.js';

const problems = (input: Record<string, unknown>) => {
  try {
    resolveExperimentConfig({ model: 'm', ...input }, 'icl.yaml');
  } catch (error) {
    return (error as { code: string; problems: Array<{ key: string; message: string }> }).problems;
  }
  throw new Error('expected XLING_CONFIG');
};

describe('the icl section of the experiment config', () => {
  it('is absent unless given, and filled with its defaults when given', () => {
    expect(resolveExperimentConfig({ model: 'm' }).icl).toBeUndefined();
    const { icl } = resolveExperimentConfig({ model: 'm', icl: { model: 'models/decoder', k: 3 } });
    expect(icl).toEqual({ ...DEFAULT_ICL_CONFIG, model: 'models/decoder', k: 3 });
    expect(DEFAULT_ICL_CONFIG).toEqual({
      k: 10,
      runs: 5,
      demonstrations: ['source', 'target', 'none'],
      scoring: 'mean',
      labelForm: 'strings',
      labelSet: 'all',
      maxSentences: 200,
      tasks: ['upos'],
    });
  });

  it('reports every bad value with its key path', () => {
    const found = problems({
      icl: { k: -1, runs: 0, demonstrations: ['source', 'other'], scoring: 'max', layers: [], extra: 1 },
    });
    expect(found.map((p) => p.key)).toEqual([
      'icl.k',
      'icl.runs',
      'icl.demonstrations[1]',
      'icl.scoring',
      'icl.layers',
      'icl.extra',
      'icl.model',
    ]);
    expect(found[3].message).toBe(`must be one of 'mean', 'sum', but got "max"`);
  });

  it('rejects an ICL meta-training language that is a target', () => {
    const found = problems({ targetLanguages: ['cy'], icl: { model: 'd', metaLanguages: ['de', 'cy'] } });
    expect(found).toEqual([
      {
        key: 'icl.metaLanguages[1]',
        message: "'cy' is also a target language: a zero-shot target must not be meta-trained on",
      },
    ]);
  });
});
