import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { NearestClassMean } from '../baselines/nearest-class-mean.js';
import { type Matrix64, argminRows, matmul, squaredDistances } from '../internal/linalg.js';
import { classMeans } from '../prototypes/class-means.js';
import type { InstanceSet } from '../instances/instance-set.js';
import { classMeansInit } from './class-means-init.js';
import { LinearProbe } from './linear-probe.js';

/** Gaussian classes around random centres; `nuisance` dimensions carry only large noise. */
function blobs(seed: number, n: number, opts: { d: number; m: number; spread: number; nuisance?: number }) {
  const rng = createRng(seed);
  const centres = Array.from({ length: opts.m }, () =>
    Array.from({ length: opts.d }, () => rng.normal() * opts.spread),
  );
  const make = (fork: string, rows: number): InstanceSet => {
    const r = rng.fork(fork);
    const labels = Int32Array.from({ length: rows }, (_, i) => i % opts.m);
    const data = new Float64Array(rows * opts.d);
    labels.forEach((c, i) => {
      for (let j = 0; j < opts.d; j++) {
        const wide = j < (opts.nuisance ?? 0) ? 10 : 1;
        data[i * opts.d + j] = (j < (opts.nuisance ?? 0) ? 0 : centres[c][j]) + r.normal() * wide;
      }
    });
    const sentenceOffsets = Int32Array.from({ length: rows / 5 + 1 }, (_, s) => s * 5);
    return { x: { rows, cols: opts.d, data }, labels, numLabels: opts.m, sentenceOffsets };
  };
  return { train: make('train', n), dev: make('dev', n), test: make('test', 4 * n) };
}

function init(set: InstanceSet, k: number, bias?: Float64Array) {
  const { means, labels } = classMeans(set.x, set.labels, set.numLabels);
  const m = labels.length;
  const meanMatrix: Matrix64 = { rows: m, cols: set.x.cols, data: means };
  const b = bias ?? new Float64Array(m);
  const w = classMeansInit(set.x, set.labels, meanMatrix, b, k, createRng(0));
  return { w: { rows: set.x.cols, cols: k, data: w } as Matrix64, meanMatrix, bias: b };
}

/** Mean cross-entropy of softmax(-||W^T x - W^T mu_c||^2 + b_c) at the labels. */
function loss(set: InstanceSet, w: Matrix64, means: Matrix64, bias: Float64Array, scale = 1): number {
  const d = squaredDistances(matmul(set.x, w), matmul(means, w));
  let total = 0;
  for (let i = 0; i < d.rows; i++) {
    const logits = Array.from({ length: d.cols }, (_, c) => bias[c] - scale * d.data[i * d.cols + c]);
    const top = Math.max(...logits);
    total += top + Math.log(logits.reduce((a, v) => a + Math.exp(v - top), 0)) - logits[set.labels[i]];
  }
  return total / d.rows;
}

describe('classMeansInit', () => {
  it('the untrained probe predicts exactly what Euclidean nearest class mean predicts (k >= m - 1)', () => {
    for (const seed of [1, 2, 3]) {
      const { train, test } = blobs(seed, 120, { d: 24, m: 6, spread: 0.6 });
      const { w, meanMatrix } = init(train, 8);
      const probe = argminRows(squaredDistances(matmul(test.x, w), matmul(meanMatrix, w)));
      const ncm = new NearestClassMean().fit(train).predict(test.x);
      expect(Array.from(probe)).toEqual(Array.from(ncm));
    }
  });

  it('scales W to the temperature of least fitting cross-entropy (with the class priors)', () => {
    const { train } = blobs(4, 200, { d: 16, m: 5, spread: 0.5 });
    const bias = Float64Array.from([-1, -1.5, -2, -1.2, -1.8]);
    const { w, meanMatrix } = init(train, 8, bias);
    const best = loss(train, w, meanMatrix, bias);
    for (const scale of [0.98, 1.02]) expect(loss(train, w, meanMatrix, bias, scale)).toBeGreaterThan(best);
    expect(best).toBeLessThan(Math.log(5));
  });

  it('with empirical priors the untrained probe ranks alpha ||x - mu_c||^2 - log(n_c / n), the calibrated Gaussian rule', () => {
    const { train, test } = blobs(8, 150, { d: 18, m: 6, spread: 0.3 });
    const bias = Float64Array.from([-0.5, -1, -1.5, -2, -2.5, -3]);
    const { w, meanMatrix } = init(train, 8, bias);
    const alpha = matmul(w, w, { transpose: 'a' }).data[0];
    const shifted = (d: Matrix64, scale: number) => ({
      ...d,
      data: d.data.map((v, i) => scale * v - bias[i % d.cols]),
    });
    const probe = argminRows(shifted(squaredDistances(matmul(test.x, w), matmul(meanMatrix, w)), 1));
    const gaussian = argminRows(shifted(squaredDistances(test.x, meanMatrix), alpha));
    expect(Array.from(probe)).toEqual(Array.from(gaussian));
    const ncm = new NearestClassMean().fit(train).predict(test.x);
    expect(Array.from(probe)).not.toEqual(Array.from(ncm));
  });

  it('with fewer columns than directions, W has k orthogonal columns of equal norm', () => {
    const { train } = blobs(5, 100, { d: 12, m: 8, spread: 1 });
    const { w } = init(train, 3);
    const gram = matmul(w, w, { transpose: 'a' });
    const alpha = gram.data[0];
    expect(Number.isFinite(alpha) && alpha > 0).toBe(true);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) expect(gram.data[i * 3 + j]).toBeCloseTo(i === j ? alpha : 0, 10);
  });

  it('with fewer columns than the span needs, W spans the principal directions of the class means', () => {
    // Centred means with orthogonal coordinate columns (Helmert vectors) of spreads 10, 5, 2, 1, 0.5
    // along e1..e5 of a 9-dimensional space: the principal directions are e1, e2, e3, in order.
    const m = 6;
    const d = 9;
    const spreads = [10, 5, 2, 1, 0.5];
    const order = [3, 0, 4, 1, 2]; // the axes in a scrambled order, so no greedy pick lands on them
    const data = new Float64Array(m * d);
    spreads.forEach((spread, j) => {
      const h = Array.from({ length: m }, (_, c) => (c <= j ? 1 : c === j + 1 ? -(j + 1) : 0));
      const size = Math.sqrt(h.reduce((a, v) => a + v * v, 0));
      for (let c = 0; c < m; c++) data[c * d + order[j]] = (spread * h[c]) / size + 3;
    });
    const means: Matrix64 = { rows: m, cols: d, data };
    const x: Matrix64 = { rows: m, cols: d, data: data.slice() };
    for (const k of [1, 2, 3]) {
      const w = classMeansInit(
        x,
        Int32Array.from({ length: m }, (_, c) => c),
        means,
        new Float64Array(m),
        k,
        createRng(0),
      );
      const gram = matmul({ rows: d, cols: k, data: w }, { rows: d, cols: k, data: w }, { transpose: 'a' });
      const alpha = gram.data[0];
      // Squared length of each axis's projection onto span(W), normalised: 1 for the top-k axes, 0 for the rest.
      order.forEach((axis, j) => {
        let captured = 0;
        for (let col = 0; col < k; col++) captured += w[axis * k + col] ** 2 / alpha;
        expect(captured).toBeCloseTo(j < k ? 1 : 0, 10);
      });
    }
  });

  it('stops alpha on separable data where the logits span 64 times the mean distance (W stays finite)', () => {
    const { train } = blobs(5, 100, { d: 12, m: 8, spread: 50 });
    const { w, meanMatrix } = init(train, 3);
    const d = squaredDistances(matmul(train.x, w), matmul(meanMatrix, w));
    const mean = d.data.reduce((a, v) => a + v, 0) / d.data.length;
    expect(mean).toBeGreaterThan(63);
    expect(mean).toBeLessThanOrEqual(64 + 1e-9);
  });

  it('gives a single-class or empty set a finite, almost silent W instead of NaN', () => {
    const x: Matrix64 = { rows: 3, cols: 4, data: Float64Array.from([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]) };
    const one: Matrix64 = { rows: 1, cols: 4, data: Float64Array.from([1, 2, 3, 4]) };
    const none: Matrix64 = { rows: 0, cols: 4, data: new Float64Array(0) };
    for (const means of [one, none]) {
      const w = classMeansInit(x, new Int32Array(3), means, new Float64Array(means.rows), 2, createRng(0));
      expect(w.every((v) => Number.isFinite(v) && Math.abs(v) < 1e-3)).toBe(true);
    }
  });
});

describe("LinearProbe with init 'class-means'", () => {
  it('keeps the initialisation (epoch 0) when no trained epoch beats it on dev', async () => {
    // Isotropic classes: nearest class mean is already the Bayes rule, and a few steps at a
    // high learning rate only add noise.
    const { train, dev } = blobs(6, 150, { d: 20, m: 4, spread: 0.4 });
    const probe = await new LinearProbe({ k: 4, init: 'class-means', epochs: 2, learningRate: 0.5 }).fit(
      train,
      dev,
    );
    const ncm = new NearestClassMean().fit(train);
    expect(probe.bestEpoch).toBe(0);
    expect(probe.diagnostics.devAccuracy).toBeCloseTo(probe.score(dev), 12);
    expect(probe.score(dev)).toBeGreaterThanOrEqual(ncm.score(dev) - 0.02);
    // Epoch 0 survives a save / load round trip.
    const dir = await mkdtemp(join(tmpdir(), 'xling-probe-'));
    try {
      await probe.save(dir);
      const loaded = await LinearProbe.load(dir);
      expect(loaded.bestEpoch).toBe(0);
      expect(loaded.score(dev)).toBe(probe.score(dev));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the last epoch without dev (the initialisation competes only on dev)', async () => {
    const { train } = blobs(6, 150, { d: 20, m: 4, spread: 0.4 });
    const probe = await new LinearProbe({ k: 4, init: 'class-means', epochs: 3, learningRate: 0.5 }).fit(
      train,
    );
    expect(probe.bestEpoch).toBe(3);
  });

  it('learns past nearest class mean where noise dimensions swamp it, and ends no worse than the reference init', async () => {
    const { train, dev, test } = blobs(7, 300, { d: 20, m: 5, spread: 0.8, nuisance: 4 });
    const ncm = new NearestClassMean().fit(train).score(test);
    const fromMeans = await new LinearProbe({ k: 8, init: 'class-means' }).fit(train, dev);
    const fromNoise = await new LinearProbe({ k: 8 }).fit(train, dev);
    expect(fromMeans.diagnostics.converged).toBe(true);
    expect(fromMeans.score(test)).toBeGreaterThan(ncm + 0.15);
    expect(fromMeans.score(test)).toBeGreaterThanOrEqual(fromNoise.score(test) - 0.02);
  });
});
