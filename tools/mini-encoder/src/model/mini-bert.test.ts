import * as tf from '@tensorflow/tfjs-core';
import { createRng } from '@xling/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './init-backend.js';
import { MiniBert, parameterShapes } from './mini-bert.js';
import type { MiniBertConfig } from './mini-bert-config.js';

const config: MiniBertConfig = {
  vocabSize: 13,
  hiddenSize: 8,
  numHiddenLayers: 2,
  numAttentionHeads: 2,
  intermediateSize: 12,
  maxPositionEmbeddings: 8,
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  padTokenId: 0,
};

/** A model with large random weights so gradients are well above float32 noise. */
function randomModel(seed: number): MiniBert {
  const rng = createRng(seed);
  const arrays = new Map<string, Float32Array>();
  for (const [name, shape] of parameterShapes(config)) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < data.length; i++)
      data[i] = (name.endsWith('LayerNorm.weight') ? 1 : 0) + 0.4 * rng.normal();
    arrays.set(name, data);
  }
  return MiniBert.fromArrays(config, arrays);
}

// Two sentences, the second padded; masked positions 2, 4 (sentence 0) and 9 (sentence 1).
const ids = [2, 7, 4, 9, 4, 3, 2, 4, 11, 3, 0, 0];
const mask = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
const positions = [2, 4, 7];
const labels = [5, 8, 6];

function lossOf(model: MiniBert): tf.Scalar {
  return model.mlmLoss(
    tf.tensor2d(ids, [2, 6], 'int32'),
    tf.tensor2d(mask, [2, 6]),
    tf.tensor1d(positions, 'int32'),
    tf.tensor1d(labels, 'int32'),
  ).loss;
}

describe('MiniBert', () => {
  beforeAll(async () => {
    await initBackend('wasm', 1);
  });

  it('mlmLoss(...) gradients match central finite differences for every parameter tensor', () => {
    const model = randomModel(3);
    const { grads } = tf.variableGrads(() => lossOf(model), [...model.params.values()]);
    const rng = createRng(11);
    const eps = 1e-2;
    let checked = 0;
    for (const [name, variable] of model.params) {
      const g = grads[variable.name].dataSync();
      const base = variable.dataSync().slice() as Float32Array;
      // The largest-gradient entry and one random entry of each tensor.
      let top = 0;
      for (let i = 1; i < g.length; i++) if (Math.abs(g[i]) > Math.abs(g[top])) top = i;
      for (const i of [top, rng.int(g.length)]) {
        const at = (delta: number): number => {
          const d = base.slice();
          d[i] += delta;
          variable.assign(tf.tensor(d, variable.shape));
          return tf.tidy(() => lossOf(model).dataSync()[0]);
        };
        const numeric = (at(eps) - at(-eps)) / (2 * eps);
        variable.assign(tf.tensor(base, variable.shape));
        expect(Math.abs(numeric - g[i]), `${name}[${i}]: analytic ${g[i]}, numeric ${numeric}`).toBeLessThan(
          3e-3 + 3e-2 * Math.abs(numeric),
        );
        checked++;
      }
    }
    expect(checked).toBe(2 * model.params.size);
    tf.dispose(Object.values(grads));
  });

  it('forward(ids, mask) ignores padded positions and returns numHiddenLayers + 1 states', () => {
    const model = randomModel(5);
    const states = tf.tidy(() => model.forward(tf.tensor2d(ids, [2, 6], 'int32'), tf.tensor2d(mask, [2, 6])));
    expect(states).toHaveLength(3);
    const changed = ids.slice();
    changed[10] = 12;
    changed[11] = 7;
    const other = tf.tidy(() =>
      model.forward(tf.tensor2d(changed, [2, 6], 'int32'), tf.tensor2d(mask, [2, 6])),
    );
    const a = states[2].dataSync();
    const b = other[2].dataSync();
    // Real tokens (first 10 rows) do not see the padding.
    for (let i = 0; i < 10 * 8; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
    tf.dispose([...states, ...other]);
  });

  it('MiniBert.init(config, seed) is deterministic and has the Hugging Face parameter names', () => {
    const a = MiniBert.init(config, 7).toArrays();
    const b = MiniBert.init(config, 7).toArrays();
    expect([...a.keys()]).toContain('encoder.layer.1.attention.self.query.weight');
    expect([...a.keys()]).toContain('cls.predictions.bias');
    for (const [name, data] of a) expect(b.get(name)).toEqual(data);
    expect(a.get('embeddings.LayerNorm.weight')!.every((x) => x === 1)).toBe(true);
  });
});
