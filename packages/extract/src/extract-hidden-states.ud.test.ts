import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RepresentationStore, UPOS_LABELS } from '@xling/core';
import { type Sentence, readConllu } from '@xling/ud';
import { describe, expect, it } from 'vitest';
import { extractHiddenStates } from './extract-hidden-states.js';
import { HiddenStateModel } from './hidden-state-model.js';
import { copyModel } from './test-helpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const udDir = process.env.XLING_UD_DIR ?? resolve(repoRoot, '../shared/data/ud');
const file = join(udDir, 'UD_Afrikaans-AfriBooms', 'af_afribooms-ud-dev.conllu.gz');

async function* firstSentences(n: number): AsyncGenerator<Sentence> {
  let i = 0;
  for await (const sentence of readConllu(file)) {
    if (i++ >= n) return;
    yield sentence;
  }
}

describe('extractHiddenStates(model, readConllu(file), options) on a real UD treebank', () => {
  // The treebanks live outside the repository (XLING_UD_DIR); CI has them at ../shared/data/ud.
  it.skipIf(!existsSync(file))(
    'stores one vector per UD word with its UPOS, head and deprel, windowing long sentences',
    async () => {
      const sentences: Sentence[] = [];
      for await (const s of firstSentences(40)) sentences.push(s);
      const model = await HiddenStateModel.load(await copyModel('tiny-bert'), { intraOpNumThreads: 1 });
      try {
        const store = await RepresentationStore.open(await mkdtemp(join(tmpdir(), 'xling-ud-')));
        const report = await extractHiddenStates(model, firstSentences(40), {
          store,
          treebank: 'UD_Afrikaans-AfriBooms',
          split: 'dev',
          layers: [2],
          overflow: 'window',
          shardSize: 16,
          total: 40,
        });
        expect(report.sentences).toBe(40);
        expect(report.skipped).toEqual([]);
        const t = await store.read(report.keys[0]);
        expect(Array.from(t.word_counts.data as Int32Array)).toEqual(sentences.map((s) => s.words.length));
        const words = sentences.flatMap((s) => s.words);
        expect(t.words.shape).toEqual([words.length, 32]);
        expect(Array.from(t.upos.data as Int32Array)).toEqual(
          words.map((w) => UPOS_LABELS.indexOf(w.upos as never)),
        );
        expect(Array.from(t.head.data as Int32Array)).toEqual(words.map((w) => w.head));
        expect(Array.from(t.sentence_index.data as Int32Array)).toEqual(sentences.map((_, i) => i));
        expect(Array.from(t.sentence_line.data as Int32Array)).toEqual(sentences.map((s) => s.line));
        expect((t.words.data as Float32Array).every(Number.isFinite)).toBe(true);
      } finally {
        await model.dispose();
      }
    },
  );
});
