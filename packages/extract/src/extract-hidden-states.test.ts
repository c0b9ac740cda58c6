import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProgressEvent, RepresentationStore, UPOS_LABELS, float16ToFloat32 } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ExtractSentence, extractHiddenStates } from './extract-hidden-states.js';
import { HiddenStateModel } from './hidden-state-model.js';
import { FIXTURES, copyModel } from './test-helpers.js';

const golden = JSON.parse(readFileSync(join(FIXTURES, 'tiny-bert.golden.json'), 'utf8')) as {
  sentences: Array<{
    words: string[];
    layers: Record<string, { root: number[]; first: number[][]; mean: number[][] }>;
  }>;
};

function sentence(forms: string[]): ExtractSentence {
  return {
    words: forms.map((form, i) => ({
      form,
      upos: i === 0 ? 'NOUN' : 'PUNCT',
      head: i === 0 ? 0 : 1,
      deprel: i === 0 ? 'root' : 'nmod:poss',
    })),
  };
}

/** 23 sentences: the golden ones, repeated, plus one too long for the 40-token model. */
function corpus(): ExtractSentence[] {
  const out: ExtractSentence[] = [];
  for (let i = 0; i < 22; i++) out.push(sentence(golden.sentences[i % golden.sentences.length].words));
  out.splice(9, 0, sentence(Array.from({ length: 45 }, () => 'zebra')));
  return out;
}

async function tempStore(): Promise<RepresentationStore> {
  return RepresentationStore.open(await mkdtemp(join(tmpdir(), 'xling-store-')));
}

describe('extractHiddenStates(model, sentences, options)', () => {
  let model: HiddenStateModel;
  beforeAll(async () => {
    model = await HiddenStateModel.load(await copyModel('tiny-bert'), { intraOpNumThreads: 1 });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('writes words, root, word_counts, sentence_index, labels and heads that match the golden vectors', async () => {
    const store = await tempStore();
    const events: ProgressEvent[] = [];
    const report = await extractHiddenStates(model, corpus(), {
      store,
      treebank: 'UD_Test-Tiny',
      split: 'dev',
      layers: [0, 2],
      pooling: ['first', 'mean'],
      shardSize: 5,
      onProgress: (e) => events.push(e),
    });
    expect(report.sentences).toBe(23);
    expect(report.stored).toBe(22);
    expect(report.skipped).toEqual([{ index: 9, reason: expect.stringMatching(/tokens > limit 40/) }]);
    expect(report.keys).toHaveLength(4);
    const key = { model: 'tiny-bert', layer: 2, pooling: 'mean', treebank: 'UD_Test-Tiny', split: 'dev' };
    expect(store.isComplete(key)).toBe(true);
    expect(store.entry(key)!.shards).toHaveLength(5);
    const t = await store.read(key);
    expect(t.words.dtype).toBe('F32');
    expect(t.root.shape).toEqual([22, 32]);
    expect(t.word_counts.shape).toEqual([22]);
    expect(Array.from(t.sentence_index.data as Int32Array).slice(8, 11)).toEqual([8, 10, 11]);
    expect(Array.from(t.sentence_line.data as Int32Array).slice(0, 2)).toEqual([-1, -1]);
    const counts = Array.from(t.word_counts.data as Int32Array);
    expect(t.words.shape).toEqual([counts.reduce((a, b) => a + b, 0), 32]);
    expect((t.upos.data as Int32Array)[0]).toBe(UPOS_LABELS.indexOf('NOUN'));
    expect(Array.from(t.head.data as Int32Array).slice(0, 3)).toEqual([0, 1, 1]);
    // 'nmod:poss' is stored as 'nmod'.
    expect((t.deprel.data as Int32Array)[1]).toBe(
      ((await import('@xling/core')).DEPREL_LABELS as readonly string[]).indexOf('nmod'),
    );
    // Sentence 10 of the input is golden sentence 1 (index 9 was inserted before it).
    const row = counts.slice(0, 9).reduce((a, b) => a + b, 0);
    const g = golden.sentences[1].layers['2'];
    expectClose(
      Array.from((t.words.data as Float32Array).slice(row * 32, (row + counts[9]) * 32)),
      g.mean.flat(),
      { atol: 1e-4, rtol: 0 },
    );
    expectClose(Array.from((t.root.data as Float32Array).slice(9 * 32, 10 * 32)), g.root, {
      atol: 1e-4,
      rtol: 0,
    });
    expect(events[0]).toMatchObject({ status: 'start', total: 23, unit: 'sentence' });
    const progress = events.filter((e) => e.status === 'progress');
    expect(progress).toHaveLength(5);
    expect(progress[4]).toMatchObject({ done: 23, metrics: { etaSeconds: 0 } });
    expect(progress[0].status === 'progress' && progress[0].metrics!.tokensPerSecond).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ status: 'end', done: 23 });
  });

  it('resumes a run aborted after two shards with identical shards and no duplicate', async () => {
    const options = { treebank: 'T', split: 'test', layers: [1, 3], shardSize: 4 };
    const reference = await tempStore();
    await extractHiddenStates(model, corpus(), { ...options, store: reference });

    const store = await tempStore();
    const controller = new AbortController();
    let shards = 0;
    await expect(
      extractHiddenStates(model, corpus(), {
        ...options,
        store,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.status === 'progress' && ++shards === 2) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
    const key = { model: 'tiny-bert', layer: 3, pooling: 'first', treebank: 'T', split: 'test' };
    expect(store.entry(key)!.status).toBe('partial');
    expect(store.entry(key)!.shards).toHaveLength(2);

    // What a kill during a shard write leaves: a temporary file and a shard the manifest lacks.
    const folder = join(store.dir, store.entry(key)!.folder);
    writeFileSync(join(folder, '.shard-00002.safetensors.123.abcd.tmp'), 'partial');
    writeFileSync(join(folder, 'shard-00002.safetensors'), 'garbage');

    const reopened = await RepresentationStore.open(store.dir);
    const report = await extractHiddenStates(model, corpus(), { ...options, store: reopened });
    expect(report.resumedShards).toBe(2);
    expect(report.stored).toBe(22 - 8);
    const entry = reopened.entry(key)!;
    expect(entry.shards.map((s) => s.file)).toEqual(reference.entry(key)!.shards.map((s) => s.file));
    expect(readdirSync(join(store.dir, entry.folder)).sort()).toEqual(entry.shards.map((s) => s.file));
    for (const layer of [1, 3]) {
      const k = { ...key, layer };
      const a = await reopened.read(k);
      const b = await reference.read(k);
      for (const name of Object.keys(b)) {
        expect(a[name].shape).toEqual(b[name].shape);
        expect(Array.from(a[name].data as Float32Array)).toEqual(Array.from(b[name].data as Float32Array));
      }
    }
    const again = await extractHiddenStates(model, corpus(), { ...options, store: reopened });
    expect(again.alreadyComplete).toBe(true);
  });

  it('stores float16 vectors when dtype is float16', async () => {
    const store = await tempStore();
    await extractHiddenStates(model, corpus().slice(0, 3), {
      store,
      treebank: 'T',
      split: 'dev',
      layers: [3],
      dtype: 'float16',
    });
    const t = await store.read({
      model: 'tiny-bert',
      layer: 3,
      pooling: 'first',
      treebank: 'T',
      split: 'dev',
    });
    expect(t.words.dtype).toBe('F16');
    const values = float16ToFloat32(t.words.data as Uint16Array);
    expectClose(Array.from(values.slice(0, 32)), golden.sentences[0].layers['3'].first[0], {
      atol: 1e-2,
      rtol: 1e-2,
    });
  });

  it('extractHiddenStates(model, sentences, options) throws XLING_STORE_MISMATCH for a store written by another model', async () => {
    const store = await tempStore();
    const options = { store, treebank: 'T', split: 'dev', layers: [1], modelName: 'shared-name' };
    await extractHiddenStates(model, corpus().slice(0, 2), options);
    const other = await HiddenStateModel.load(await copyModel('tiny-llama'), { intraOpNumThreads: 1 });
    try {
      await expect(
        extractHiddenStates(other, corpus().slice(0, 2), { ...options, pooling: 'first' }),
      ).rejects.toMatchObject({
        code: 'XLING_STORE_MISMATCH',
        message: expect.stringMatching(/fingerprint/),
      });
    } finally {
      await other.dispose();
    }
  });

  it('extractHiddenStates(model, sentences, options) throws XLING_INVALID_ARGUMENT for a layer out of range', async () => {
    const store = await tempStore();
    await expect(
      extractHiddenStates(model, corpus(), { store, treebank: 'T', split: 'dev', layers: [4] }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/options\.layers.*from 0 \(embeddings\) to 3.*got 4/),
    });
    await expect(
      extractHiddenStates(model, corpus(), { store, treebank: 'T', split: 'dev', layers: [-1] }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
  });

  it('extractHiddenStates(model, sentences, options) throws XLING_INVALID_ARGUMENT for an empty sentence, naming it', async () => {
    const store = await tempStore();
    const sentences = [sentence(['A']), { words: [] }];
    await expect(
      extractHiddenStates(model, sentences, { store, treebank: 'T', split: 'dev', layers: [1] }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/sentence 1 has no words/),
    });
  });

  it('extractHiddenStates(model, sentences, options) throws XLING_INVALID_ARGUMENT without treebank or split', async () => {
    const store = await tempStore();
    await expect(
      extractHiddenStates(model, corpus(), { store, split: 'dev', layers: [1] } as never),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: /options\.treebank.*non-empty string/,
    });
  });

  it('extractHiddenStates(model, sentences, options) rejects a changed shardSize or dtype on resume', async () => {
    const store = await tempStore();
    const controller = new AbortController();
    await expect(
      extractHiddenStates(model, corpus(), {
        store,
        treebank: 'T',
        split: 'dev',
        layers: [1],
        shardSize: 3,
        signal: controller.signal,
        onProgress: (e) => e.status === 'progress' && controller.abort(),
      }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
    await expect(
      extractHiddenStates(model, corpus(), { store, treebank: 'T', split: 'dev', layers: [1], shardSize: 4 }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/shardSize.*must stay 3/),
    });
    await expect(
      extractHiddenStates(model, corpus(), {
        store,
        treebank: 'T',
        split: 'dev',
        layers: [1],
        shardSize: 3,
        dtype: 'float16',
      }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/options\.dtype.*must stay "float32"/),
    });
  });
});
