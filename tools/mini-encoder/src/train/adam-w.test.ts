import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../model/init-backend.js';
import { AdamW, learningRateAt } from './adam-w.js';

describe('learningRateAt', () => {
  it('learningRateAt(step, peak, warmup, total) warms up linearly then decays linearly to 0', () => {
    expect(learningRateAt(0, 1, 10, 110)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(9, 1, 10, 110)).toBeCloseTo(1, 12);
    expect(learningRateAt(10, 1, 10, 110)).toBeCloseTo(1, 12);
    expect(learningRateAt(60, 1, 10, 110)).toBeCloseTo(0.5, 12);
    expect(learningRateAt(110, 1, 10, 110)).toBe(0);
  });
});

describe('AdamW', () => {
  beforeAll(async () => {
    await initBackend('wasm', 1);
  });

  it('apply(grads, lr) matches a hand-computed first Adam step with decoupled weight decay', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const b = tf.variable(tf.tensor1d([0.5]));
    const params = new Map([
      ['dense.weight', w],
      ['dense.bias', b],
    ]);
    const opt = new AdamW(params, { weightDecay: 0.1, clipNorm: 0 });
    const norm = opt.apply({ [w.name]: tf.tensor1d([0.3, -0.4]), [b.name]: tf.tensor1d([2]) }, 0.01);
    expect(norm).toBeCloseTo(Math.sqrt(0.09 + 0.16 + 4), 5);
    // First step: m_hat = g, v_hat = g^2, update = g / (|g| + eps) ~ sign(g).
    const wv = w.dataSync();
    expect(wv[0]).toBeCloseTo(1 * (1 - 0.01 * 0.1) - 0.01, 5);
    expect(wv[1]).toBeCloseTo(-2 * (1 - 0.01 * 0.1) + 0.01, 5);
    // Biases are not decayed.
    expect(b.dataSync()[0]).toBeCloseTo(0.5 - 0.01, 5);
  });
});
