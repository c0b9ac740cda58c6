import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structuredPrompting } from './structured-prompting.js';
import { FixtureModels, type IclGolden, maxAbsDifference, readGolden } from './test-helpers.js';

const TOLERANCE = 1e-4;
const models = new FixtureModels();
let golden: IclGolden;

beforeAll(async () => {
  golden = await readGolden();
});
afterAll(() => models.dispose());

describe('structuredPrompting(model, sentences, demonstrations, options) against the PyTorch reference', () => {
  it('has golden cases for two families, both scorings and teacher forcing', () => {
    expect(golden.cases.map((c) => [c.family, c.scoring, c.teacher_forcing])).toEqual([
      ['llama', 'mean', false],
      ['qwen2', 'sum', true],
      ['llama', 'mean', false],
    ]);
  });

  for (const index of [0, 1, 2]) {
    it(`gives the reference's predicted tags, every label score and tag-position state to 1e-4 (case ${index})`, async () => {
      const spec = golden.cases[index];
      const model = await models.get(spec.family);
      const report = await structuredPrompting(
        model,
        golden.sentences,
        spec.k === 0 ? { from: 'none' } : { from: 'source', sentences: golden.demonstrations },
        {
          demonstrationSets: [Array.from({ length: spec.k }, (_, i) => i)],
          scoring: spec.scoring,
          labelSet: spec.labels,
          teacherForcing: spec.teacher_forcing,
          layers: spec.layers,
        },
      );
      const [run] = report.runs;
      expect(run.candidates).toEqual(spec.candidates);
      let difference = 0;
      spec.results.forEach((expected, s) => {
        const actual = run.sentences[s];
        expect(actual.k).toBe(spec.k);
        expect(actual.predicted).toEqual(expected.predicted);
        difference = Math.max(difference, maxAbsDifference(actual.scores, expected.scores.flat()));
        if (expected.hidden_states) {
          const states = expected.hidden_states.flat(2);
          difference = Math.max(difference, maxAbsDifference(actual.hiddenStates!, states));
        } else {
          expect(actual.hiddenStates).toBeUndefined();
        }
      });
      expect(difference).toBeLessThan(TOLERANCE);
    });
  }
});
