import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@xling/core';
import { describeEstimator, expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { matmulInto } from '../internal/linalg.js';
import { prototypeLoss } from '../internal/prototype-loss.js';
import { createSyntheticLanguages } from '../synthetic/create-synthetic-languages.js';
import { LinearProbe } from './linear-probe.js';

const [lang] = createSyntheticLanguages({ languages: ['en'], sentences: { train: 20, dev: 8, test: 10 } });

describeEstimator('LinearProbe', {
  create: () => new LinearProbe({ k: 4, epochs: 2, learningRate: 1e-2, seed: 3 }),
  fitArgs: () => [lang.train, lang.dev],
  fittedGetters: ['weights', 'prototypes', 'prototypeLabels', 'classMeans', 'history'],
  apply: (probe) => probe.predict(lang.test.x),
  fromJSON: (json) => LinearProbe.fromJSON(json),
});

describe('LinearProbe', () => {
  it('prototypeLoss(z, p, target) gradients match central finite differences to 1e-7', () => {
    const rng = createRng(1);
    const n = 7;
    const m = 4;
    const k = 3;
    const z = Float64Array.from({ length: n * k }, () => rng.normal());
    const p = Float64Array.from({ length: m * k }, () => rng.normal());
    const target = Int32Array.from([0, 1, 2, 3, -1, 2, 1]);
    const { dz, dp } = prototypeLoss(z, p, target, n, m, k);
    const h = 1e-6;
    for (const [param, grad] of [
      [z, dz],
      [p, dp],
    ] as const) {
      const numeric = new Float64Array(param.length);
      for (let i = 0; i < param.length; i++) {
        const keep = param[i];
        param[i] = keep + h;
        const up = prototypeLoss(z, p, target, n, m, k, false).loss;
        param[i] = keep - h;
        const down = prototypeLoss(z, p, target, n, m, k, false).loss;
        param[i] = keep;
        numeric[i] = (up - down) / (2 * h);
      }
      expectClose(grad, numeric, { rtol: 1e-6, atol: 1e-8 });
    }
  });

  it('fit(train) W gradient (through prototypes p = W^T mu) matches finite differences', () => {
    // One plain-gradient step with Adam replaced: compare dL/dW assembled as in fit.
    const rng = createRng(2);
    const n = 9;
    const d = 5;
    const k = 3;
    const m = 3;
    const x = Float64Array.from({ length: n * d }, () => rng.normal());
    const mu = Float64Array.from({ length: m * d }, () => rng.normal());
    const w = Float64Array.from({ length: d * k }, () => rng.normal());
    const target = Int32Array.from({ length: n }, (_, i) => i % m);
    const lossOf = (ww: Float64Array): number =>
      prototypeLoss(
        matmulInto(x, ww, new Float64Array(n * k), n, d, k),
        matmulInto(mu, ww, new Float64Array(m * k), m, d, k),
        target,
        n,
        m,
        k,
        false,
      ).loss;
    const z = matmulInto(x, w, new Float64Array(n * k), n, d, k);
    const p = matmulInto(mu, w, new Float64Array(m * k), m, d, k);
    const { dz, dp } = prototypeLoss(z, p, target, n, m, k);
    const grad = new Float64Array(d * k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++) for (let j = 0; j < k; j++) grad[a * k + j] += x[i * d + a] * dz[i * k + j];
    for (let c = 0; c < m; c++)
      for (let a = 0; a < d; a++)
        for (let j = 0; j < k; j++) grad[a * k + j] += mu[c * d + a] * dp[c * k + j];
    const numeric = new Float64Array(d * k);
    for (let i = 0; i < w.length; i++) {
      const keep = w[i];
      w[i] = keep + 1e-6;
      const up = lossOf(w);
      w[i] = keep - 1e-6;
      const down = lossOf(w);
      w[i] = keep;
      numeric[i] = (up - down) / 2e-6;
    }
    expectClose(grad, numeric, { rtol: 1e-6, atol: 1e-8 });
  });

  it('fit(train, dev) recovers a synthetic language’s clusters (test accuracy > 0.95)', () => {
    const [l] = createSyntheticLanguages({ languages: ['xx'], seed: 5 });
    const probe = new LinearProbe({ k: 8, learningRate: 1e-2, epochs: 10 }).fit(l.train, l.dev);
    expect(probe.score(l.test)).toBeGreaterThan(0.95);
    expect(probe.fitSplit).toBe('train');
    expect(probe.history).toHaveLength(10);
    expect(probe.prototypes.rows).toBe(6);
  });

  it('fit(train) lowers the training loss with the default learning rate schedule', () => {
    const probe = new LinearProbe({ k: 4, learningRate: 1e-2, epochs: 5 }).fit(lang.train);
    const h = probe.history;
    expect(h[4].loss).toBeLessThan(h[0].loss);
    expect(probe.bestEpoch).toBe(5);
  });

  it('fit(train, dev) with shuffled labels stays near chance', () => {
    const [l] = createSyntheticLanguages({ languages: ['xx'], seed: 6, shuffleLabels: true });
    const probe = new LinearProbe({ k: 8, learningRate: 1e-2, epochs: 5 }).fit(l.train, l.dev);
    // Majority class frequency is 1/H(6) ~ 0.41 under the 1/(c+1) law.
    expect(probe.score(l.test)).toBeLessThan(0.5);
  });

  it('save(folder) and LinearProbe.load(folder) round-trip through safetensors + JSON', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-probe-'));
    try {
      const probe = new LinearProbe({ k: 4, epochs: 1 }).fit(lang.train, lang.dev);
      await probe.save(folder);
      const loaded = await LinearProbe.load(folder);
      expect(loaded.predict(lang.test.x)).toEqual(probe.predict(lang.test.x));
      expectClose(loaded.prototypes, probe.prototypes, { rtol: 0, atol: 0 });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('new LinearProbe({ k: 0 }) throws XLING_INVALID_ARGUMENT naming the option', () => {
    expect(() => new LinearProbe({ k: 0 })).toThrow(/options\.k.*integer >= 1/);
  });

  it('fit(train) throws XLING_INVALID_ARGUMENT on NaN vectors and XLING_SHAPE_MISMATCH on ragged labels', () => {
    const bad = {
      ...lang.train,
      x: { rows: 1, cols: 2, data: Float64Array.from([Number.NaN, 1]) },
      labels: Int32Array.of(0),
      sentenceOffsets: Int32Array.of(0, 1),
    };
    expect(() => new LinearProbe().fit(bad)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    const ragged = { ...lang.train, labels: lang.train.labels.slice(1) };
    expect(() => new LinearProbe().fit(ragged)).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }),
    );
  });

  it('fit(train) throws XLING_INVALID_ARGUMENT for an empty training set', () => {
    const empty = {
      x: { rows: 0, cols: 3, data: new Float64Array(0) },
      labels: new Int32Array(0),
      numLabels: 2,
    };
    expect(() => new LinearProbe().fit(empty)).toThrow(/at least one instance/);
  });

  it('predict(x) works on one row', () => {
    const probe = new LinearProbe({ k: 4, epochs: 1 }).fit(lang.train);
    expect(probe.predict([Array.from(lang.test.x.data.subarray(0, 16))])).toHaveLength(1);
  });
});

describe('LinearProbe engines', () => {
  it("fit(train) with engine 'tf' matches the float64 engine to float32 precision", async () => {
    const { initBackend } = await import('../tf/init-backend.js');
    await initBackend();
    const js = new LinearProbe({ k: 4, epochs: 2, learningRate: 1e-2 }).fit(lang.train, lang.dev);
    const tf = new LinearProbe({ k: 4, epochs: 2, learningRate: 1e-2, engine: 'tf' }).fit(
      lang.train,
      lang.dev,
    );
    expectClose(tf.weights, js.weights, { rtol: 1e-3, atol: 1e-4 });
  });
});

describe('LinearProbe on float32 instance sets', () => {
  it('fit(train) with float32 vectors matches the same vectors in float64 (no copy of the input)', () => {
    const f32 = (s: typeof lang.train) => ({ ...s, x: { ...s.x, data: Float32Array.from(s.x.data) } });
    const f64 = (s: typeof lang.train) => ({
      ...s,
      x: { ...s.x, data: Float64Array.from(Float32Array.from(s.x.data)) },
    });
    const a = new LinearProbe({ k: 4, epochs: 2, learningRate: 1e-2 }).fit(f32(lang.train), f32(lang.dev));
    const b = new LinearProbe({ k: 4, epochs: 2, learningRate: 1e-2 }).fit(f64(lang.train), f64(lang.dev));
    expect(a.weights.data).toEqual(b.weights.data);
  });
});
