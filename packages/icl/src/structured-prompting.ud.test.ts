import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { preprocessSentences, readConllu, resolveUdDir } from '@xling/ud';
import { afterAll, describe, expect, it } from 'vitest';
import { structuredPrompting } from './structured-prompting.js';
import { type TaggedSentence, taggedSentences } from './tagged-sentence.js';
import { FixtureModels } from './test-helpers.js';

const models = new FixtureModels();
afterAll(() => models.dispose());

/** The UD copy next to the repository, if there is one. */
function udDir(): string | null {
  try {
    return resolveUdDir();
  } catch {
    return null;
  }
}
const dir = udDir();
const file = (treebank: string, name: string) => join(dir ?? '', treebank, name);
const english = ['UD_English-EWT', 'en_ewt-ud'] as const;
const french = ['UD_French-GSD', 'fr_gsd-ud'] as const;
const available = [english, french].every(([t, p]) => existsSync(file(t, `${p}-dev.conllu.gz`)));

/** The first `count` pre-processed sentences of at most 5 words (the fixture decoder has 64 positions). */
async function shortSentences([treebank, prefix]: readonly [string, string], split: string, count: number) {
  const sentences = [];
  for await (const sentence of readConllu(file(treebank, `${prefix}-${split}.conllu.gz`))) {
    sentences.push(sentence);
    if (sentences.length >= 400) break;
  }
  const tagged = taggedSentences(preprocessSentences(sentences).sentences, 'upos');
  return tagged.filter((s) => s.words.length <= 5).slice(0, count);
}

function checkReport(report: Awaited<ReturnType<typeof structuredPrompting>>, test: TaggedSentence[]) {
  expect(report.runs).toHaveLength(2);
  for (const run of report.runs) {
    expect(run.demonstrations).toHaveLength(2);
    expect(run.accuracy).toBeGreaterThanOrEqual(0);
    expect(run.accuracy).toBeLessThanOrEqual(1);
    run.sentences.forEach((sentence, i) => {
      expect([0, 1, 2]).toContain(sentence.k);
      expect(sentence.predicted).toHaveLength(test[i].words.length);
      expect(sentence.scores).toHaveLength(test[i].words.length * 17);
    });
  }
  expect(report.accuracy.mean).toBeGreaterThanOrEqual(0);
  expect(report.accuracy.mean).toBeLessThanOrEqual(1);
  expect(report.accuracy.standardError).not.toBeNull();
  expect(report.baselines!.perWordMajorityAccuracy).toBeLessThanOrEqual(1);
}

describe.skipIf(!available)('structuredPrompting on UD sentences with the tiny fixture decoder', () => {
  it('tags English EWT with English demonstrations and French GSD with English ones', async () => {
    const model = await models.get('llama');
    const englishPool = await shortSentences(english, 'dev', 40);
    const englishTest = await shortSentences(english, 'test', 3);
    const frenchTest = await shortSentences(french, 'test', 3);
    expect([englishTest.length, frenchTest.length]).toEqual([3, 3]);
    const options = { k: 2, runs: 2, seed: 3 };
    const target = await structuredPrompting(
      model,
      englishTest,
      { from: 'target', sentences: englishPool },
      options,
    );
    checkReport(target, englishTest);
    const source = await structuredPrompting(
      model,
      frenchTest,
      { from: 'source', sentences: englishPool },
      options,
    );
    checkReport(source, frenchTest);
    expect(source.source).toBe('source');
    // Same pool and seed: the same demonstration sets, whatever the test language.
    expect(source.runs.map((run) => run.demonstrations)).toEqual(
      target.runs.map((run) => run.demonstrations),
    );
  });
});
