import type { ProgressEvent } from '@xling/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { structuredPrompting } from './structured-prompting.js';
import type { StructuredPromptingOptions } from './structured-prompting-options.js';
import { FixtureModels, type IclGolden, maxAbsDifference, readGolden } from './test-helpers.js';

const models = new FixtureModels();
let golden: IclGolden;

beforeAll(async () => {
  golden = await readGolden();
});
afterAll(() => models.dispose());

async function prompt(options: StructuredPromptingOptions, pool = golden.demonstrations) {
  const model = await models.get('llama');
  return structuredPrompting(model, golden.sentences, { from: 'source', sentences: pool }, options);
}

/** Largest score difference of a run's sentences from golden case `index`. */
function differenceFromCase(run: Awaited<ReturnType<typeof prompt>>['runs'][number], index: number): number {
  const results = golden.cases[index].results;
  return Math.max(...run.sentences.map((s, i) => maxAbsDifference(s.scores, results[i].scores.flat())));
}

describe('structuredPrompting(model, sentences, demonstrations, options): the prompt and its cache', () => {
  it('runs the prefix once per set and one pass per word and inner trie node (AD, N, PR, P, CC, SC)', async () => {
    const report = await prompt({ demonstrationSets: [[0, 1]] });
    // 1 prefix pass; per sentence of w words: 1 first pass, 6 inner nodes per word, w - 1 feeds.
    expect(report.forwardPasses).toBe(1 + 7 * 3 + 7 * 4);
    expect(report.runs[0].sentences.map((s) => s.k)).toEqual([2, 2]);
  });

  it('drops demonstrations from the end when the prompt overflows and records the effective k', async () => {
    const pool = [...golden.demonstrations, golden.demonstrations[0]];
    const report = await prompt({ demonstrationSets: [[0, 1, 2]] }, pool);
    expect(report.maxPositions).toBe(64);
    expect(report.runs[0].sentences.map((s) => s.k)).toEqual([2, 2]);
    // The prompt with two demonstrations is the reference's: same scores.
    expect(differenceFromCase(report.runs[0], 0)).toBeLessThan(1e-4);
    const bare = await prompt({ demonstrationSets: [[0, 1]], maxPositions: 30 });
    expect(bare.runs[0].sentences.map((s) => s.k)).toEqual([0, 0]);
    expect(differenceFromCase(bare.runs[0], 2)).toBeLessThan(1e-4);
  });

  it('skips a sentence that does not fit even without demonstrations and scores the others', async () => {
    const report = await prompt({ demonstrationSets: [[0, 1]], maxPositions: 20 });
    const [run] = report.runs;
    expect(run.sentences[1]).toEqual({
      predicted: [],
      scores: new Float64Array(0),
      k: 0,
      skipped: '25 positions > limit 20',
    });
    expect(run.sentences[0].k).toBe(0);
    expect([run.skipped, run.total]).toEqual([1, 3]);
    expect(run.accuracy).toBe(run.correct / 3);
  });
});

describe('structuredPrompting options', () => {
  it("'sum' scores are the 'mean' scores times each label's token count", async () => {
    const common = { demonstrationSets: [[0, 1]], teacherForcing: true };
    const mean = await prompt({ ...common, scoring: 'mean' });
    const sum = await prompt({ ...common, scoring: 'sum' });
    // ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X in icl-tokenizer.json
    const lengths = [2, 2, 2, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1];
    const scaled = mean.runs[0].sentences[1].scores.map((v, i) => v * lengths[i % 17]);
    expect(maxAbsDifference(sum.runs[0].sentences[1].scores, scaled)).toBeLessThan(1e-12);
    expect(sum.scoring).toBe('sum');
  });

  it("'seen' scores only the labels of the run's demonstrations, in label order", async () => {
    const report = await prompt({ demonstrationSets: [[1], [0, 1]], labelSet: 'seen' });
    expect(report.runs.map((run) => run.candidates)).toEqual([
      ['NOUN', 'PUNCT', 'VERB'],
      ['DET', 'NOUN', 'PUNCT', 'VERB'],
    ]);
    expect(report.runs[0].sentences[0].scores).toHaveLength(3 * 3);
    expect(
      report.runs[0].sentences[0].predicted.every((tag) => ['NOUN', 'PUNCT', 'VERB'].includes(tag)),
    ).toBe(true);
  });

  it('returns words × layers × hiddenSize states at the tag positions, with teacher forcing', async () => {
    const report = await prompt({ demonstrationSets: [[0, 1]], teacherForcing: true, layers: [2, 0] });
    expect(report.layers).toEqual([2, 0]);
    const states = report.runs[0].sentences.map((s) => s.hiddenStates!);
    expect(states.map((s) => s.length)).toEqual([3 * 2 * 32, 4 * 2 * 32]);
    expect(states.every((s) => s.every(Number.isFinite))).toBe(true);
    expect((await prompt({ demonstrationSets: [[0, 1]] })).runs[0].sentences[0].hiddenStates).toBeUndefined();
  });

  it('writes labels in the asked form and warns when the tokenizer cannot tell the forms apart', async () => {
    const names = await prompt({ demonstrationSets: [[0, 1]], labelForm: 'names' });
    expect(names.forms.slice(0, 2)).toEqual(['adjective', 'adposition']);
    // Every name is <unk> in the fixture's vocabulary; 'proper noun' is <unk> <unk>.
    expect(names.warnings).toContain('labels ADJ and ADP have the same tokens; ADJ wins their ties');
    expect(names.warnings).toContain(
      "label ADJ ('adjective') is a token prefix of CCONJ ('coordinating conjunction')",
    );
    expect(names.runs[0].sentences[0].predicted).toHaveLength(3);
    const shuffled = await prompt({ demonstrationSets: [[0, 1]], labelForm: 'shuffled', seed: 5 });
    expect([...shuffled.forms].sort()).toEqual([...shuffled.labels].sort());
    expect(shuffled.warnings).toEqual([]);
  });

  it('samples several seeded runs and reports mean, standard error and the majority baselines', async () => {
    const pool = [...golden.demonstrations, ...golden.sentences];
    const options = { k: 2, runs: 3, seed: 11 };
    const report = await prompt(options, pool);
    expect(report.runs.map((run) => run.demonstrations.length)).toEqual([2, 2, 2]);
    expect((await prompt(options, pool)).runs.map((run) => run.demonstrations)).toEqual(
      report.runs.map((run) => run.demonstrations),
    );
    expect(report.accuracy.perRun).toEqual(report.runs.map((run) => run.accuracy));
    expect(report.accuracy.standardError).toBeGreaterThanOrEqual(0);
    expect(report.baselines).toMatchObject({ majorityTag: 'NOUN' });
    expect(report.source).toBe('source');
  });

  it("uses one run without demonstrations for { from: 'none' }", async () => {
    const model = await models.get('llama');
    const report = await structuredPrompting(model, golden.sentences, { from: 'none' }, { runs: 4 });
    expect(report.runs).toHaveLength(1);
    expect(report.runs[0].demonstrations).toEqual([]);
    expect([report.baselines, report.accuracy.standardError]).toEqual([null, null]);
    expect(differenceFromCase(report.runs[0], 2)).toBeLessThan(1e-4);
  });
});

describe('structuredPrompting progress and cancellation', () => {
  it('reports tokens/s and forward passes per word after each sentence', async () => {
    const events: ProgressEvent[] = [];
    await prompt({ demonstrationSets: [[0, 1]], onProgress: (event) => events.push(event) });
    expect(events.map((e) => e.status)).toEqual(['start', 'progress', 'progress', 'end']);
    const last = events[2] as Extract<ProgressEvent, { status: 'progress' }>;
    expect(last).toMatchObject({ task: 'structuredPrompting', done: 2, total: 2, unit: 'sentence' });
    expect(last.metrics!.forwardPassesPerWord).toBeCloseTo(50 / 7, 12);
    expect(last.metrics!.tokensPerSecond).toBeGreaterThan(0);
  });

  it('throws XLING_ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    const run = prompt({
      demonstrationSets: [[0, 1]],
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await expect(run).rejects.toMatchObject({ code: 'XLING_ABORTED' });
  });
});

describe('structuredPrompting errors', () => {
  it('throws XLING_INVALID_ARGUMENT for bad options, naming the option', async () => {
    const cases: [StructuredPromptingOptions, RegExp][] = [
      [{ k: -1 }, /'options\.k'.*integer >= 0/],
      [{ labelForm: 'emoji' as never }, /'options\.labelForm'.*'strings', 'shuffled'/],
      [{ scoring: 'max' as never }, /'options\.scoring'/],
      [{ labelSet: 'some' as never }, /'options\.labelSet'/],
      [{ layers: [3] }, /'options\.layers'.*integers from 0 to 2/],
      [{ demonstrationSets: [[0, 2]] }, /'options\.demonstrationSets\[0\]'.*from 0 to 1/],
      [{ demonstrationSets: [] }, /'options\.demonstrationSets'.*at least one set/],
      [{ maxPositions: 0 }, /'options\.maxPositions'/],
      [{ tokens: 5 } as never, /'options\.tokens'.*not a known option/],
    ];
    for (const [options, message] of cases) {
      await expect(prompt(options)).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
    }
  });

  it('throws XLING_INVALID_ARGUMENT for bad sentences and pools', async () => {
    const model = await models.get('llama');
    const pool = { from: 'source', sentences: golden.demonstrations } as const;
    const cases: [unknown, unknown, unknown, RegExp][] = [
      [[{ words: ['a'], tags: ['FOO'] }], pool, {}, /'sentences'.*word 0 of sentence 0 has "FOO"/],
      [[{ words: ['a\nb'], tags: ['X'] }], pool, {}, /'sentences'.*without line breaks.*"a\\nb"/],
      [[{ words: ['a', 'b'], tags: ['X'] }], pool, {}, /'sentences'.*as many tags as words/],
      [golden.sentences, { from: 'elsewhere' }, {}, /'demonstrations'.*"elsewhere"/],
      [
        golden.sentences,
        { from: 'target', sentences: [{ words: [], tags: [] }] },
        {},
        /'demonstrations\.sentences'/,
      ],
      [
        golden.sentences,
        { from: 'none' },
        { labelSet: 'seen' },
        /'options\.labelSet'.*without demonstrations/,
      ],
      [golden.sentences, pool, { task: 'deprel' }, /'demonstrations\.sentences'.*"DET"/],
      [
        golden.sentences,
        { from: 'target', sentences: [{ words: ['a'], tags: ['X'] }] },
        { labelSet: 'seen', k: 2, runs: 1 },
        /'options\.labelSet'.*run without demonstrations/,
      ],
    ];
    for (const [sentences, demonstrations, options, message] of cases) {
      await expect(
        structuredPrompting(model, sentences as never, demonstrations as never, options as never),
      ).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
    }
  });
});
