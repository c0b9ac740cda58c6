import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { SMALL, type World, makeWorld } from '../__fixtures__/synthetic-world.js';
import { MajorityClass } from '../baselines/majority-class.js';
import { inLanguageCeiling } from '../baselines/in-language-ceiling.js';
import { unalignedAccuracy } from '../baselines/unaligned-source-prototypes.js';
import { initBackend } from '../tf/init-backend.js';
import { MetaProtoNet } from './meta-proto-net.js';

let world: World;
let net: MetaProtoNet;
const events: ProgressEvent[] = [];

// patience = epochs: every epoch runs, so the progress test can count them.
const FULL = { ...SMALL, patience: SMALL.epochs };

beforeAll(async () => {
  world = await makeWorld();
  net = await new MetaProtoNet(FULL).fit(
    {
      source: world.source.prototypeSet,
      languages: world.training,
      validation: world.validation,
      targets: ['tgt'],
    },
    { onProgress: (e) => events.push(e) },
  );
});

describe('MetaProtoNet (synthetic languages with a known answer)', () => {
  it('embedAsync / predictAsync / scoreAsync (onnxruntime, float32) agree with the float64 embed / predict / score', async () => {
    const test = world.languages.tgt.test;
    const exact = net.embed(test.x);
    expectClose(await net.embedAsync(test.x), exact, { rtol: 1e-5, atol: 1e-5 });
    const fast = await net.predictAsync(test.x);
    const slow = net.predict(test.x);
    const same = fast.filter((label, i) => label === slow[i]).length;
    expect(same / slow.length).toBeGreaterThanOrEqual(0.99);
    expect(Math.abs((await net.scoreAsync(test)) - net.score(test))).toBeLessThanOrEqual(0.01);
    await expect(net.embedAsync([[1, 2]])).rejects.toMatchObject({ code: 'XLING_SHAPE_MISMATCH' });
  });

  it('fit(...) with early stopping: zero-shot accuracy approaches the in-language ceiling and clearly beats unaligned source prototypes', async () => {
    const { languages, source } = world;
    // Eight epochs stop on the validation curve's first plateau; early stopping runs until it ends.
    const stopped = await new MetaProtoNet({ ...SMALL, epochs: 40 }).fit({
      source: source.prototypeSet,
      languages: world.training,
      validation: world.validation,
      targets: ['tgt'],
    });
    const ceiling = await inLanguageCeiling(languages.tgt.train, languages.tgt.test, {
      dev: languages.tgt.dev,
      k: 8,
      learningRate: 1e-2,
      epochs: 10,
    });
    const zeroShot = stopped.score(languages.tgt.test);
    const unaligned = unalignedAccuracy(source, languages.tgt.test);
    expect(ceiling.accuracy).toBeGreaterThan(0.95);
    expect(zeroShot).toBeGreaterThan(ceiling.accuracy - 0.1);
    expect(zeroShot).toBeGreaterThan(unaligned + 0.4);
  });

  it('fit(...) with randomly permuted labels stays at chance (the majority rate)', async () => {
    const shuffled = await makeWorld({ shuffleLabels: true });
    const learner = await new MetaProtoNet(SMALL).fit({
      source: shuffled.source.prototypeSet,
      languages: shuffled.training,
      validation: shuffled.validation,
    });
    const test = shuffled.languages.tgt.test;
    const majority = new MajorityClass().fit(shuffled.languages.tgt.train).score(test);
    expect(learner.score(test)).toBeLessThan(majority + 0.05);
    expect(unalignedAccuracy(shuffled.source, test)).toBeLessThan(majority + 0.05);
    const ceiling = await inLanguageCeiling(shuffled.languages.tgt.train, test, { k: 8 });
    expect(ceiling.accuracy).toBeLessThan(majority + 0.05);
  });

  it('fit(...) reports progress: episodes/s and loss per episode, validation accuracy per epoch', () => {
    expect(events[0]).toMatchObject({
      status: 'start',
      task: 'meta-train',
      total: 8 * 20 * 13,
      unit: 'episode',
    });
    const perEpisode = events.filter(
      (e) => e.status === 'progress' && e.metrics?.validationAccuracy === undefined,
    );
    expect(perEpisode.length).toBe(8 * 20 * 13);
    const epochs = events.filter(
      (e) => e.status === 'progress' && e.metrics?.validationAccuracy !== undefined,
    );
    expect(epochs).toHaveLength(8);
    expect(events.at(-1)).toMatchObject({ status: 'end' });
    const h = net.history;
    expect(h).toHaveLength(8);
    expect(h[7].loss).toBeLessThan(h[0].loss);
    // No timing in the history: a saved learner is the same bytes on every run.
    expect(h.every((e) => !('episodesPerSecond' in e))).toBe(true);
    expect(net.fitSplits.src).toBe('train');
    expect(net.bestEpoch).toBe(
      1 + h.map((e) => e.validationAccuracy).indexOf(Math.max(...h.map((e) => e.validationAccuracy))),
    );
    expect(net.epochsRun).toBe(8);
    expect(net.stoppedEarly).toBe(false);
    expect(events.at(-1)).toMatchObject({
      metrics: { epochsRun: 8, bestEpoch: net.bestEpoch, stoppedEarly: 0 },
    });
  });

  it('fit(...) with patience stops after patience epochs without a better validation accuracy and keeps the best epoch', async () => {
    const ends: ProgressEvent[] = [];
    const learner = await new MetaProtoNet({ ...SMALL, epochs: 40, patience: 2 }).fit(
      { source: world.source.prototypeSet, languages: world.training, validation: world.validation },
      { onProgress: (e) => e.status === 'end' && ends.push(e) },
    );
    const accuracy = learner.history.map((e) => e.validationAccuracy);
    expect(learner.stoppedEarly).toBe(true);
    expect(learner.converged).toBe(true);
    expect(learner.epochsRun).toBe(learner.history.length);
    expect(learner.epochsRun).toBeLessThan(40);
    expect(learner.bestEpoch).toBe(1 + accuracy.indexOf(Math.max(...accuracy)));
    expect(learner.epochsRun - learner.bestEpoch).toBe(2);
    expect(ends[0]).toMatchObject({ label: expect.stringMatching(/^stopped early after epoch \d+/) });
  });

  it('fit(...) without validation languages runs every epoch and keeps the last', async () => {
    const learner = await new MetaProtoNet({ ...SMALL, epochs: 3, episodesPerLanguage: 5, patience: 1 }).fit({
      source: world.source.prototypeSet,
      languages: world.training,
    });
    expect(learner.epochsRun).toBe(3);
    expect(learner.bestEpoch).toBe(3);
    expect(learner.converged).toBe(false);
    expect(learner.stoppedEarly).toBe(false);
  });

  it('new MetaProtoNet({ patience: 0 }) throws XLING_INVALID_ARGUMENT naming the option', () => {
    expect(() => new MetaProtoNet({ patience: 0 })).toThrow(/options\.patience/);
  });

  it('fit(...) is deterministic for a seed', async () => {
    const again = await new MetaProtoNet(FULL).fit({
      source: world.source.prototypeSet,
      languages: world.training,
      validation: world.validation,
    });
    expect(again.phi.w1).toEqual(net.phi.w1);
    expect(again.map.data).toEqual(net.map.data);
  });

  it('fit(..., { checkpointDir }) resumes after an interruption and ends exactly like an uninterrupted run', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-meta-'));
    try {
      const options = { ...SMALL, epochs: 3, episodesPerLanguage: 5 };
      const data = {
        source: world.source.prototypeSet,
        languages: world.training,
        validation: world.validation,
      };
      const straight = await new MetaProtoNet(options).fit(data);
      const controller = new AbortController();
      const interrupted = new MetaProtoNet(options).fit(data, {
        checkpointDir: folder,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.status === 'progress' && e.label === 'epoch 2 done') controller.abort();
        },
      });
      await expect(interrupted).rejects.toMatchObject({ code: 'XLING_ABORTED' });
      const resumed = await new MetaProtoNet(options).fit(data, { checkpointDir: folder });
      expect(resumed.resumedFromEpoch).toBe(2);
      expect(resumed.phi.w1).toEqual(straight.phi.w1);
      expect(resumed.map.data).toEqual(straight.map.data);
      const curve = (h: typeof straight.history) => h.map((e) => [e.epoch, e.loss, e.validationAccuracy]);
      expect(curve(resumed.history)).toEqual(curve(straight.history));
      await expect(
        new MetaProtoNet({ ...options, seed: 5 }).fit(data, { checkpointDir: folder }),
      ).rejects.toMatchObject({
        code: 'XLING_CHECKPOINT_MISMATCH',
      });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('fit(..., { checkpointDir }) with early stopping resumes with the patience counter and ends like an uninterrupted run', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-meta-'));
    try {
      const options = { ...SMALL, epochs: 30, episodesPerLanguage: 5, patience: 2 };
      const data = {
        source: world.source.prototypeSet,
        languages: world.training,
        validation: world.validation,
      };
      const straight = await new MetaProtoNet(options).fit(data);
      expect(straight.stoppedEarly).toBe(true);
      // One epoch before the stop the counter stands at 1: the resumed run must stop after one more.
      const last = straight.epochsRun - 1;
      const controller = new AbortController();
      const interrupted = new MetaProtoNet(options).fit(data, {
        checkpointDir: folder,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.status === 'progress' && e.label === `epoch ${last} done`) controller.abort();
        },
      });
      await expect(interrupted).rejects.toMatchObject({ code: 'XLING_ABORTED' });
      const resumed = await new MetaProtoNet(options).fit(data, { checkpointDir: folder });
      expect(resumed.resumedFromEpoch).toBe(last);
      expect([resumed.epochsRun, resumed.bestEpoch, resumed.stoppedEarly, resumed.converged]).toEqual([
        straight.epochsRun,
        straight.bestEpoch,
        true,
        true,
      ]);
      expect(resumed.phi.w1).toEqual(straight.phi.w1);
      expect(resumed.map.data).toEqual(straight.map.data);
      // Patience only decides where to stop: a larger one continues the stopped run exactly.
      const longer = { ...options, patience: 4 };
      const continued = await new MetaProtoNet(longer).fit(data, { checkpointDir: folder });
      const fresh = await new MetaProtoNet(longer).fit(data);
      expect(continued.resumedFromEpoch).toBe(straight.epochsRun);
      expect(continued.epochsRun).toBe(fresh.epochsRun);
      expect(continued.bestEpoch).toBe(fresh.bestEpoch);
      expect(continued.map.data).toEqual(fresh.map.data);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('toJSON() / fromJSON() and save(folder) / load(folder) keep the early-stopping record; older files load with defaults', async () => {
    const json = net.toJSON();
    expect(json).toMatchObject({
      bestEpoch: net.bestEpoch,
      epochsRun: 8,
      converged: net.converged,
      stoppedEarly: false,
    });
    const restored = MetaProtoNet.fromJSON(JSON.parse(JSON.stringify(json)));
    expect([restored.bestEpoch, restored.epochsRun, restored.converged, restored.stoppedEarly]).toEqual([
      net.bestEpoch,
      8,
      net.converged,
      false,
    ]);
    const { epochsRun: _e, converged: _c, stoppedEarly: _s, ...older } = JSON.parse(JSON.stringify(json));
    const old = MetaProtoNet.fromJSON(older);
    expect([old.bestEpoch, old.epochsRun, old.converged, old.stoppedEarly]).toEqual([
      net.bestEpoch,
      8,
      false,
      false,
    ]);
    expect(old.history.map((e) => e.validationAccuracy)).toEqual(
      net.history.map((e) => e.validationAccuracy),
    );
    const folder = await mkdtemp(join(tmpdir(), 'xling-meta-'));
    try {
      await net.save(folder);
      const loaded = await MetaProtoNet.load(folder);
      expect([loaded.bestEpoch, loaded.epochsRun, loaded.converged, loaded.stoppedEarly]).toEqual([
        net.bestEpoch,
        8,
        net.converged,
        false,
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('toJSON() / fromJSON() and save(folder) / load(folder) round-trip to the same predictions', async () => {
    const x = world.languages.tgt.test.x;
    const restored = MetaProtoNet.fromJSON(JSON.parse(JSON.stringify(net.toJSON())));
    expect(restored.predict(x)).toEqual(net.predict(x));
    const folder = await mkdtemp(join(tmpdir(), 'xling-meta-'));
    try {
      await net.save(folder);
      const loaded = await MetaProtoNet.load(folder);
      expect(loaded.predict(x)).toEqual(net.predict(x));
      expectClose(loaded.map, net.map, { rtol: 0, atol: 0 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('MetaProtoNet.load(folder) throws XLING_FILE_FORMAT naming the file for a truncated, incomplete or foreign folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-meta-'));
    const config = join(folder, 'config.json');
    const model = join(folder, 'model.safetensors');
    const fails = (file: string, message: RegExp) =>
      expect(MetaProtoNet.load(folder)).rejects.toMatchObject({
        code: 'XLING_FILE_FORMAT',
        file,
        message: expect.stringMatching(message),
      });
    try {
      await net.save(folder);
      const text = await readFile(config, 'utf8');
      const json = JSON.parse(text);
      await writeFile(config, text.slice(0, text.length - 20));
      await fails(config, /is not valid JSON/);
      const { k: _k, ...source } = json.source;
      await writeFile(config, JSON.stringify({ ...json, source }));
      await fails(config, /field 'source\.k' is missing/);
      await writeFile(config, JSON.stringify({ ...json, history: [{ ...json.history[0], epoch: '1' }] }));
      await fails(config, /field 'history\[0\]\.epoch' must be of type integer/);
      await writeFile(config, JSON.stringify({ ...json, kind: 'LanguageAdapterProtoNet' }));
      await fails(config, /holds a "LanguageAdapterProtoNet" \(field 'kind'\), not a 'MetaProtoNet'/);
      await writeFile(config, text);
      await truncate(model, 100);
      await fails(model, /truncated/);
      await world.source.save(folder);
      await fails(config, /holds a "LinearProbe"/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('fromJSON() rejects another kind with XLING_INVALID_ARGUMENT', () => {
    expect(() => MetaProtoNet.fromJSON({ ...net.toJSON(), kind: 'LinearProbe' })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });

  it('predict(x) before fit throws XLING_NOT_FITTED', () => {
    expect(() => new MetaProtoNet().predict([[1]])).toThrow(
      expect.objectContaining({
        code: 'XLING_NOT_FITTED',
        message: expect.stringMatching(/not fitted yet\. Call 'fit'/),
      }),
    );
  });

  it('fit(...) throws XLING_INVALID_ARGUMENT when a target is a validation language (a leak)', async () => {
    await expect(
      new MetaProtoNet(SMALL).fit({
        source: world.source.prototypeSet,
        languages: world.training,
        validation: world.validation,
        targets: ['v'],
      }),
    ).rejects.toThrow(/must not include validation or meta-training languages.*'v'/);
  });

  it('new MetaProtoNet({ dropout: 1 }) throws XLING_INVALID_ARGUMENT naming the option', () => {
    expect(() => new MetaProtoNet({ dropout: 1 })).toThrow(/options\.dropout/);
  });

  it("new MetaProtoNet({ threads: 0 }) and { engine: 'gpu' } throw XLING_INVALID_ARGUMENT naming the option", () => {
    expect(() => new MetaProtoNet({ threads: 0 })).toThrow(/options\.threads/);
    // @ts-expect-error: not an engine
    expect(() => new MetaProtoNet({ engine: 'gpu' })).toThrow(/options\.engine/);
  });

  it("fit(...) on the default 'ort' engine and on 'tf' match the float64 'js' engine to float32 precision", async () => {
    await initBackend();
    const options = { ...SMALL, epochs: 1, episodesPerLanguage: 2 };
    const data = {
      source: world.source.prototypeSet,
      languages: world.training,
      validation: world.validation,
    };
    const js = await new MetaProtoNet({ ...options, engine: 'js' }).fit(data);
    for (const engine of ['ort', 'tf'] as const) {
      const other = await new MetaProtoNet(engine === 'ort' ? options : { ...options, engine }).fit(data);
      expectClose(other.phi.w1, js.phi.w1, { rtol: 1e-4, atol: 1e-5, label: `${engine} w1` });
      expectClose(other.phi.w2, js.phi.w2, { rtol: 1e-4, atol: 1e-5, label: `${engine} w2` });
      expectClose(other.map.data, js.map.data, { rtol: 1e-4, atol: 1e-5, label: `${engine} U` });
      expectClose(other.history[0].loss, js.history[0].loss, { rtol: 1e-5, atol: 1e-6 });
    }
  });

  it('fit(...) with orthogonalization keeps U closer to orthogonal than without', async () => {
    const deviation = (u: { rows: number; data: Float64Array }): number => {
      const k = u.rows;
      let worst = 0;
      for (let i = 0; i < k; i++)
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += u.data[i * k + p] * u.data[j * k + p];
          worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
        }
      return worst;
    };
    const options = { ...SMALL, epochs: 2, learningRate: 2e-2 };
    const data = { source: world.source.prototypeSet, languages: world.training };
    const free = await new MetaProtoNet(options).fit(data);
    const orthogonal = await new MetaProtoNet({ ...options, orthogonalization: 0.05 }).fit(data);
    expect(deviation(free.map)).toBeGreaterThan(0.05);
    expect(deviation(orthogonal.map)).toBeLessThan(deviation(free.map) / 2);
  });
});
