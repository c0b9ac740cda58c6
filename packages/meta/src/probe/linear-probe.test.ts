import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@xling/core';
import { describeEstimator, expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { matmul } from '../internal/linalg.js';
import { prototypeLoss } from '../internal/prototype-loss.js';
import { createSyntheticLanguages } from '../synthetic/create-synthetic-languages.js';
import { LinearProbe } from './linear-probe.js';
import { createProbeKernel } from './probe-kernels.js';

const [lang] = createSyntheticLanguages({ languages: ['en'], sentences: { train: 20, dev: 8, test: 10 } });

describeEstimator('LinearProbe', {
  create: () => new LinearProbe({ k: 4, epochs: 2, seed: 3 }),
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
    const z = { rows: n, cols: k, data: Float64Array.from({ length: n * k }, () => rng.normal()) };
    const p = { rows: m, cols: k, data: Float64Array.from({ length: m * k }, () => rng.normal()) };
    const target = Int32Array.from([0, 1, 2, 3, -1, 2, 1]);
    const { dz, dp } = prototypeLoss(z, p, target);
    const h = 1e-6;
    for (const [{ data: param }, grad] of [
      [z, dz.data],
      [p, dp.data],
    ] as const) {
      const numeric = new Float64Array(param.length);
      for (let i = 0; i < param.length; i++) {
        const keep = param[i];
        param[i] = keep + h;
        const up = prototypeLoss(z, p, target, { gradient: false }).loss;
        param[i] = keep - h;
        const down = prototypeLoss(z, p, target, { gradient: false }).loss;
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
    const xm = { rows: n, cols: d, data: x };
    const mum = { rows: m, cols: d, data: mu };
    const wm = (ww: Float64Array) => ({ rows: d, cols: k, data: ww });
    const lossOf = (ww: Float64Array): number =>
      prototypeLoss(matmul(xm, wm(ww)), matmul(mum, wm(ww)), target, { gradient: false }).loss;
    const { dz, dp } = prototypeLoss(matmul(xm, wm(w)), matmul(mum, wm(w)), target);
    // Written out as plain loops, independent of the kernels under test.
    const grad = new Float64Array(d * k);
    for (let i = 0; i < n; i++)
      for (let a = 0; a < d; a++)
        for (let j = 0; j < k; j++) grad[a * k + j] += x[i * d + a] * dz.data[i * k + j];
    for (let c = 0; c < m; c++)
      for (let a = 0; a < d; a++)
        for (let j = 0; j < k; j++) grad[a * k + j] += mu[c * d + a] * dp.data[c * k + j];
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

  it('createProbeKernel: the ort step (float32) matches the exact float64 step', async () => {
    const rng = createRng(4);
    const [n, d, k, m] = [40, 12, 5, 4];
    const x = { rows: n, cols: d, data: Float64Array.from({ length: n * d }, () => rng.normal()) };
    const target = Int32Array.from({ length: n }, (_, i) => i % m);
    const means = { rows: m, cols: d, data: Float64Array.from({ length: m * d }, () => rng.normal()) };
    const w = Float64Array.from({ length: d * k }, () => rng.normal() * 0.3);
    const rows = Array.from({ length: 25 }, (_, i) => (i * 7) % n);
    const bias = Float64Array.from({ length: m }, () => rng.normal());
    const input = { x, target, means, bias, k };
    const exact = await createProbeKernel('js', input, 1).step(rows, w);
    const fast = await createProbeKernel('ort', input, 2).step(rows, w);
    expectClose(fast.loss, exact.loss, { rtol: 1e-5, atol: 1e-6 });
    expectClose(fast.grad, exact.grad, { rtol: 1e-4, atol: 1e-5 });
    const logits = await createProbeKernel('ort', input, 1).logits(x, w);
    expectClose(
      Float64Array.from(logits),
      Float64Array.from(await createProbeKernel('js', input, 1).logits(x, w)),
      {
        rtol: 1e-4,
        atol: 1e-4,
      },
    );
  });

  it('fit(train, dev) recovers a synthetic language’s clusters with the defaults and says it converged', async () => {
    const [l] = createSyntheticLanguages({ languages: ['xx'], seed: 5 });
    const probe = await new LinearProbe({ k: 8 }).fit(l.train, l.dev);
    expect(probe.score(l.test)).toBeGreaterThan(0.95);
    expect(probe.fitSplit).toBe('train');
    expect(probe.prototypes.rows).toBe(6);
    const diag = probe.diagnostics;
    expect(diag.converged).toBe(true);
    expect(diag.epochsRun).toBeLessThan(200);
    expect(probe.history).toHaveLength(diag.epochsRun);
    expect(diag.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(diag.fitLoss).toBeLessThan(diag.uniformLoss / 4);
    expect(diag.fitAccuracy).toBeGreaterThan(0.95);
    expect(diag.devAccuracy).toBeGreaterThan(0.95);
  });

  it("fit(train, dev) never keeps the reference's untrained initialisation, even when it scores best on dev", async () => {
    // Shuffled labels: no epoch can beat chance reliably, so the initialisation would often win.
    for (const seed of [1, 2, 3]) {
      const [l] = createSyntheticLanguages({ languages: ['xx'], seed, shuffleLabels: true });
      const probe = await new LinearProbe({ k: 8, epochs: 3, schedule: 'fixed', learningRate: 1e-3 }).fit(
        l.train,
        l.dev,
      );
      expect(probe.bestEpoch).toBeGreaterThanOrEqual(1);
      expect(probe.history).toHaveLength(3);
    }
  });

  it("fit(train) with schedule 'fixed' runs exactly its epochs (the reference's schedule)", async () => {
    const probe = await new LinearProbe({ k: 4, schedule: 'fixed', epochs: 5, learningRate: 1e-2 }).fit(
      lang.train,
    );
    const h = probe.history;
    expect(h).toHaveLength(5);
    expect(h[4].loss).toBeLessThan(h[0].loss);
    expect(probe.bestEpoch).toBe(5);
  });

  it("fit(train) initialises W uniformly in [-0.05, 0.05] with init 'reference' (the 'fixed' schedule's default) and Xavier-normal with 'xavier'", async () => {
    const frozen = { k: 4, epochs: 1, learningRate: 0, weightDecay: 0 };
    const reference = (await new LinearProbe({ ...frozen, init: 'reference' }).fit(lang.train)).weights.data;
    const fixed = (await new LinearProbe({ ...frozen, schedule: 'fixed' }).fit(lang.train)).weights.data;
    expect(fixed).toEqual(reference);
    expect(Math.max(...reference.map(Math.abs))).toBeLessThanOrEqual(0.05);
    expect(Math.max(...reference.map(Math.abs))).toBeGreaterThan(0.04);
    const xavier = (await new LinearProbe({ ...frozen, init: 'xavier' }).fit(lang.train)).weights.data;
    const std = Math.sqrt(xavier.reduce((a, v) => a + v * v, 0) / xavier.length);
    expectClose(std, Math.sqrt(2 / (16 + 4)), { rtol: 0.25 });
  });

  it("fit(train) with classPrior 'empirical' adds log class frequencies to the logits (more accurate on skewed noisy classes)", async () => {
    // Zipf-like label frequencies and heavy noise: the prior decides many close calls.
    const [l] = createSyntheticLanguages({ languages: ['xx'], seed: 7, noise: 3, numLabels: 8 });
    const withPrior = await new LinearProbe({ k: 8 }).fit(l.train);
    const without = await new LinearProbe({ k: 8, classPrior: 'uniform' }).fit(l.train);
    expect(withPrior.score(l.test)).toBeGreaterThan(without.score(l.test));
    // The prototypes are still W^T mu_c: only the decision rule changes.
    expect(withPrior.prototypes.rows).toBe(without.prototypes.rows);
  });

  it('fit(train, dev) with shuffled labels stays near chance', async () => {
    const [l] = createSyntheticLanguages({ languages: ['xx'], seed: 6, shuffleLabels: true });
    const probe = await new LinearProbe({ k: 8 }).fit(l.train, l.dev);
    // Majority class frequency is 1/H(6) ~ 0.41 under the 1/(c+1) law: with class priors the
    // probe falls back to it, never much above.
    expect(probe.score(l.test)).toBeLessThan(0.5);
  });

  it('save(folder) and LinearProbe.load(folder) round-trip through safetensors + JSON, diagnostics included', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-probe-'));
    try {
      const probe = await new LinearProbe({ k: 4, epochs: 3 }).fit(lang.train, lang.dev);
      await probe.save(folder);
      const loaded = await LinearProbe.load(folder);
      expect(loaded.predict(lang.test.x)).toEqual(probe.predict(lang.test.x));
      expectClose(loaded.prototypes, probe.prototypes, { rtol: 0, atol: 0 });
      expect(loaded.diagnostics).toEqual(probe.diagnostics);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('LinearProbe.load(folder) throws XLING_FILE_FORMAT naming the file for a truncated or incomplete folder', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'xling-probe-'));
    const config = join(folder, 'config.json');
    const model = join(folder, 'model.safetensors');
    const fails = (file: string, message: RegExp) =>
      expect(LinearProbe.load(folder)).rejects.toMatchObject({
        name: 'FileFormatError',
        code: 'XLING_FILE_FORMAT',
        file,
        message: expect.stringMatching(message),
      });
    try {
      await (await new LinearProbe({ k: 4, epochs: 2 }).fit(lang.train)).save(folder);
      const text = await readFile(config, 'utf8');
      const json = JSON.parse(text);
      await writeFile(config, text.slice(0, 100));
      await fails(config, /config\.json:0:0: is not valid JSON/);
      const { d: _d, ...withoutD } = json;
      await writeFile(config, JSON.stringify(withoutD));
      await fails(config, /field 'd' is missing/);
      await writeFile(
        config,
        JSON.stringify({ ...json, diagnostics: { ...json.diagnostics, converged: 'yes' } }),
      );
      await fails(config, /field 'diagnostics\.converged' must be of type boolean, but is "yes"/);
      await writeFile(config, JSON.stringify({ ...json, options: { k: 0 } }));
      await fails(config, /holds an invalid LinearProbe: Argument 'options\.k'/);
      await writeFile(config, JSON.stringify({ ...json, k: 5 }));
      await fails(model, /tensor 'weights' has shape \[\d+, 4\], but config\.json implies \[\d+, 5\]/);
      await writeFile(config, text);
      await truncate(model, (await stat(model)).size - 8);
      await fails(model, /truncated/);
      await rm(model);
      await fails(model, /model\.safetensors.*is missing/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('LinearProbe.fromJSON(json) reads version 1 files (before diagnostics)', async () => {
    const json = (await new LinearProbe({ k: 4, epochs: 2 }).fit(lang.train)).toJSON();
    const { diagnostics: _d, ...rest } = json;
    const old = { ...rest, version: 1, bestEpoch: 2, options: { ...json.options, engine: 'tf' } };
    const loaded = LinearProbe.fromJSON(old);
    expect(loaded.options.classPrior).toBe('uniform'); // version 1 probes had no class priors
    expect(loaded.bestEpoch).toBe(2);
    expect(loaded.diagnostics.epochsRun).toBe(2);
    expect(Number.isNaN(loaded.diagnostics.fitLoss)).toBe(true);
  });

  it('new LinearProbe({ k: 0 }) throws XLING_INVALID_ARGUMENT naming the option', () => {
    expect(() => new LinearProbe({ k: 0 })).toThrow(/options\.k.*integer >= 1/);
    expect(() => new LinearProbe({ schedule: 'forever' as 'fixed' })).toThrow(/options\.schedule/);
  });

  it('fit(train) rejects NaN vectors (XLING_INVALID_ARGUMENT) and ragged labels (XLING_SHAPE_MISMATCH)', async () => {
    const bad = {
      ...lang.train,
      x: { rows: 1, cols: 2, data: Float64Array.from([Number.NaN, 1]) },
      labels: Int32Array.of(0),
      sentenceOffsets: Int32Array.of(0, 1),
    };
    await expect(new LinearProbe().fit(bad)).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
    const ragged = { ...lang.train, labels: lang.train.labels.slice(1) };
    await expect(new LinearProbe().fit(ragged)).rejects.toMatchObject({ code: 'XLING_SHAPE_MISMATCH' });
  });

  it('fit(train) rejects an empty training set with XLING_INVALID_ARGUMENT', async () => {
    const empty = {
      x: { rows: 0, cols: 3, data: new Float64Array(0) },
      labels: new Int32Array(0),
      numLabels: 2,
    };
    await expect(new LinearProbe().fit(empty)).rejects.toThrow(/at least one instance/);
  });

  it('fit(train) stops with XLING_ABORTED when its signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new LinearProbe({ signal: controller.signal }).fit(lang.train)).rejects.toMatchObject({
      code: 'XLING_ABORTED',
    });
  });

  it('predict(x) works on one row', async () => {
    const probe = await new LinearProbe({ k: 4, epochs: 1 }).fit(lang.train);
    expect(probe.predict([Array.from(lang.test.x.data.subarray(0, 16))])).toHaveLength(1);
  });
});

describe('LinearProbe engines', () => {
  it("fit(train, dev) with engine 'ort' (float32) stays within float32 rounding of the float64 engine", async () => {
    const options = { k: 4, epochs: 3, schedule: 'fixed', learningRate: 1e-2 } as const;
    const js = await new LinearProbe({ ...options, engine: 'js' }).fit(lang.train, lang.dev);
    const ort = await new LinearProbe({ ...options, engine: 'ort' }).fit(lang.train, lang.dev);
    expectClose(ort.weights, js.weights, { rtol: 1e-3, atol: 1e-4 });
  });

  it('fit(train) with float32 vectors matches the same vectors in float64', async () => {
    const f32 = (s: typeof lang.train) => ({ ...s, x: { ...s.x, data: Float32Array.from(s.x.data) } });
    const f64 = (s: typeof lang.train) => ({
      ...s,
      x: { ...s.x, data: Float64Array.from(Float32Array.from(s.x.data)) },
    });
    const options = { k: 4, epochs: 2, engine: 'js' } as const;
    const a = await new LinearProbe(options).fit(f32(lang.train), f32(lang.dev));
    const b = await new LinearProbe(options).fit(f64(lang.train), f64(lang.dev));
    expect(a.weights.data).toEqual(b.weights.data);
  });
});
