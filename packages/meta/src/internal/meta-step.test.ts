import { createRng } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../tf/init-backend.js';
import {
  type MetaBatch,
  type MetaStepParams,
  metaStep,
  metaStepAsync,
  phiEmbed,
  phiEmbedAsync,
} from './meta-step.js';
import { phiForward } from './phi.js';

const n = 7;
const d = 5;
const h = 6;
const k = 3;
const m = 4;

function fixture(variant: 'zero-shot' | 'few-shot') {
  const rng = createRng(variant === 'zero-shot' ? 11 : 12);
  const r = (len: number, s = 1) => Float64Array.from({ length: len }, () => rng.normal() * s);
  const params: MetaStepParams = { w1: r(d * h, 0.6), b1: r(h, 0.3), w2: r(h * k, 0.6), b2: r(k, 0.3) };
  if (variant === 'zero-shot') params.u = r(k * k, 0.7);
  else {
    params.a = r(k * k, 0.7);
    params.c = r(k, 0.3);
  }
  const x = { rows: n, cols: d, data: r(n * d) };
  const mask = Float64Array.from({ length: n * h }, () => (rng.next() < 0.33 ? 0 : 1 / 0.67));
  const prototypes = { rows: m, cols: k, data: r(m * k) };
  const target = Int32Array.from([0, 1, 2, 3, -1, 2, 0]);
  const batch: MetaBatch = { x, mask, prototypes, target };
  return { params, batch };
}

/** The batch with float32 rows, as the float32 engines take them. */
const float32 = (batch: MetaBatch): MetaBatch => ({
  ...batch,
  x: { ...batch.x, data: Float32Array.from(batch.x.data) },
});

beforeAll(async () => {
  await initBackend();
});

describe('metaStep', () => {
  for (const variant of ['zero-shot', 'few-shot'] as const) {
    it(`metaStep(params, ...) ${variant} gradients match central finite differences to 1e-6`, () => {
      const { params, batch } = fixture(variant);
      const { grads } = metaStep(params, batch, 'js');
      const eps = 1e-6;
      for (const key of Object.keys(params) as (keyof MetaStepParams)[]) {
        const p = params[key]!;
        const numeric = new Float64Array(p.length);
        for (let i = 0; i < p.length; i++) {
          const keep = p[i];
          p[i] = keep + eps;
          const up = metaStep(params, batch, 'js').loss;
          p[i] = keep - eps;
          const down = metaStep(params, batch, 'js').loss;
          p[i] = keep;
          numeric[i] = (up - down) / (2 * eps);
        }
        expectClose(grads[key]!, numeric, { rtol: 1e-5, atol: 1e-7, label: `${variant} d/d${key}` });
      }
    });

    it(`metaStep(params, ...) ${variant} on the tf engine matches the float64 engine to float32 precision`, () => {
      const { params, batch } = fixture(variant);
      const js = metaStep(params, batch, 'js');
      const wasm = metaStep(params, float32(batch), 'tf');
      expectClose(wasm.loss, js.loss, { rtol: 1e-5, atol: 1e-6 });
      for (const key of Object.keys(js.grads) as (keyof MetaStepParams)[]) {
        expectClose(wasm.grads[key]!, js.grads[key]!, { rtol: 1e-4, atol: 1e-5, label: key });
      }
    });

    it(`metaStepAsync(params, ...) ${variant} on the ort engine matches the float64 engine to float32 precision`, async () => {
      const { params, batch } = fixture(variant);
      const js = metaStep(params, batch, 'js');
      for (const threads of [1, 2]) {
        const ort = await metaStepAsync(params, batch, 'ort', threads);
        expect(ort.count).toBe(js.count);
        expectClose(ort.loss, js.loss, { rtol: 1e-5, atol: 1e-6 });
        expect(Object.keys(ort.grads).sort()).toEqual(Object.keys(js.grads).sort());
        for (const key of Object.keys(js.grads) as (keyof MetaStepParams)[]) {
          expectClose(ort.grads[key]!, js.grads[key]!, {
            rtol: 1e-4,
            atol: 1e-5,
            label: `${key}, ${threads} threads`,
          });
        }
      }
      // Without dropout the mask is all ones.
      const unmasked = { ...batch, mask: undefined };
      const plain = metaStep(params, unmasked, 'js');
      const ort = await metaStepAsync(params, unmasked, 'ort');
      for (const key of Object.keys(plain.grads) as (keyof MetaStepParams)[]) {
        expectClose(ort.grads[key]!, plain.grads[key]!, { rtol: 1e-4, atol: 1e-5, label: `${key}, no mask` });
      }
    });
  }

  it('metaStep(...) with no targeted row returns zero loss and zero gradients', () => {
    const { params, batch } = fixture('zero-shot');
    const res = metaStep(params, { ...batch, target: new Int32Array(n).fill(-1) }, 'js');
    expect(res.count).toBe(0);
    expect(res.loss).toBe(0);
    expect(Array.from(res.grads.w1).every((v) => v === 0)).toBe(true);
  });

  it('metaStepAsync(...) on the ort engine is deterministic and zero with no targeted row', async () => {
    const { params, batch } = fixture('few-shot');
    const first = await metaStepAsync(params, batch, 'ort');
    const second = await metaStepAsync(params, batch, 'ort');
    expect(second.loss).toBe(first.loss);
    expect(Array.from(second.grads.w1)).toEqual(Array.from(first.grads.w1));
    const res = await metaStepAsync(params, { ...batch, target: new Int32Array(n).fill(-1) }, 'ort');
    expect(res.count).toBe(0);
    expect(res.loss).toBe(0);
    expect(Array.from(res.grads.w1).every((v) => v === 0)).toBe(true);
  });

  it('phiEmbed(params, x) equals phiForward in evaluation mode on every engine', async () => {
    const { params, batch } = fixture('zero-shot');
    const { x } = batch;
    const expected = phiForward(x, {
      d,
      h,
      k,
      w1: params.w1,
      b1: params.b1,
      w2: params.w2,
      b2: params.b2,
    });
    expectClose(phiEmbed(params, x, 'js'), expected, { rtol: 1e-12, atol: 1e-12 });
    expectClose(phiEmbed(params, float32(batch).x, 'tf'), expected, { rtol: 1e-4, atol: 1e-5 });
    expectClose(await phiEmbedAsync(params, x, 'ort'), expected, { rtol: 1e-4, atol: 1e-5 });
    const none = await phiEmbedAsync(params, { rows: 0, cols: d, data: new Float64Array(0) }, 'ort');
    expect([none.rows, none.cols, none.data.length]).toEqual([0, k, 0]);
  });
});
