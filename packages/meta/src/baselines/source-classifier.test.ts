import { describeEstimator } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { createSyntheticLanguages } from '../synthetic/create-synthetic-languages.js';
import { SourceClassifier } from './source-classifier.js';

const [en, de] = createSyntheticLanguages({
  languages: ['en', 'de'],
  seed: 2,
  sentences: { train: 30, dev: 10, test: 20 },
});

describeEstimator('SourceClassifier', {
  create: () => new SourceClassifier({ epochs: 2, learningRate: 1e-2 }),
  fitArgs: () => [en.train, en.dev],
  fittedGetters: ['weights'],
  apply: (c) => c.predict(en.test.x),
  fromJSON: (json) => SourceClassifier.fromJSON(json),
});

describe('SourceClassifier', () => {
  it('fit(train, dev) classifies its own language and transfers poorly to a rotated one', () => {
    const classifier = new SourceClassifier({ learningRate: 1e-2 }).fit(en.train, en.dev);
    expect(classifier.score(en.test)).toBeGreaterThan(0.95);
    expect(classifier.score(de.test)).toBeLessThan(0.7);
  });

  it('new SourceClassifier({ epochs: -1 }) throws XLING_INVALID_ARGUMENT naming the option', () => {
    expect(() => new SourceClassifier({ epochs: -1 })).toThrow(/options\.epochs/);
  });

  it('predict(x) throws XLING_SHAPE_MISMATCH for another width', () => {
    const classifier = new SourceClassifier({ epochs: 1 }).fit(en.train);
    expect(() => classifier.predict([[1, 2]])).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
  });
});
