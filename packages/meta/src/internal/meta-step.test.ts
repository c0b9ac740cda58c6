import { createRng } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../tf/init-backend.js';
import { type MetaStepParams, metaStep, metaStepAsync, phiEmbed, phiEmbedAsync } from './meta-step.js';
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
  const x = r(n * d);
  const mask = Float64Array.from({ length: n * h }, () => (rng.next() < 0.33 ? 0 : 1 / 0.67));
  const prototypes = r(m * k);
  const target = Int32Array.from([0, 1, 2, 3, -1, 2, 0]);
  return { params, x, mask, prototypes, target };
}

beforeAll(async () => {
  await initBackend();
});

describe('metaStep', () => {
  for (const variant of ['zero-shot', 'few-shot'] as const) {
    it(`metaStep(params, ...) ${variant} gradients match central finite differences to 1e-6`, () => {
      const { params, x, mask, prototypes, target } = fixture(variant);
      const { grads } = metaStep(params, x, n, d, h, k, mask, prototypes, m, target, 'js');
      const eps = 1e-6;
      for (const key of Object.keys(params) as (keyof MetaStepParams)[]) {
        const p = params[key]!;
        const numeric = new Float64Array(p.length);
        for (let i = 0; i < p.length; i++) {
          const keep = p[i];
          p[i] = keep + eps;
          const up = metaStep(params, x, n, d, h, k, mask, prototypes, m, target, 'js').loss;
          p[i] = keep - eps;
          const down = metaStep(params, x, n, d, h, k, mask, prototypes, m, target, 'js').loss;
          p[i] = keep;
          numeric[i] = (up - down) / (2 * eps);
        }
        expectClose(grads[key]!, numeric, { rtol: 1e-5, atol: 1e-7, label: `${variant} d/d${key}` });
      }
    });

    it(`metaStep(params, ...) ${variant} on the tf engine matches the float64 engine to float32 precision`, () => {
      const { params, x, mask, prototypes, target } = fixture(variant);
      const js = metaStep(params, x, n, d, h, k, mask, prototypes, m, target, 'js');
      const wasm = metaStep(params, Float32Array.from(x), n, d, h, k, mask, prototypes, m, target, 'tf');
      expectClose(wasm.loss, js.loss, { rtol: 1e-5, atol: 1e-6 });
      for (const key of Object.keys(js.grads) as (keyof MetaStepParams)[]) {
        expectClose(wasm.grads[key]!, js.grads[key]!, { rtol: 1e-4, atol: 1e-5, label: key });
      }
    });

    it(`metaStepAsync(params, ...) ${variant} on the ort engine matches the float64 engine to float32 precision`, async () => {
      const { params, x, mask, prototypes, target } = fixture(variant);
      const js = metaStep(params, x, n, d, h, k, mask, prototypes, m, target, 'js');
      for (const threads of [1, 2]) {
        const ort = await metaStepAsync(params, x, n, d, h, k, mask, prototypes, m, target, 'ort', threads);
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
      const plain = metaStep(params, x, n, d, h, k, undefined, prototypes, m, target, 'js');
      const ort = await metaStepAsync(params, x, n, d, h, k, undefined, prototypes, m, target, 'ort');
      for (const key of Object.keys(plain.grads) as (keyof MetaStepParams)[]) {
        expectClose(ort.grads[key]!, plain.grads[key]!, { rtol: 1e-4, atol: 1e-5, label: `${key}, no mask` });
      }
    });
  }

  it('metaStep(...) with no targeted row returns zero loss and zero gradients', () => {
    const { params, x, mask, prototypes } = fixture('zero-shot');
    const res = metaStep(params, x, n, d, h, k, mask, prototypes, m, new Int32Array(n).fill(-1), 'js');
    expect(res.count).toBe(0);
    expect(res.loss).toBe(0);
    expect(Array.from(res.grads.w1).every((v) => v === 0)).toBe(true);
  });

  it('metaStepAsync(...) on the ort engine is deterministic and zero with no targeted row', async () => {
    const { params, x, mask, prototypes, target } = fixture('few-shot');
    const first = await metaStepAsync(params, x, n, d, h, k, mask, prototypes, m, target, 'ort');
    const second = await metaStepAsync(params, x, n, d, h, k, mask, prototypes, m, target, 'ort');
    expect(second.loss).toBe(first.loss);
    expect(Array.from(second.grads.w1)).toEqual(Array.from(first.grads.w1));
    const none = new Int32Array(n).fill(-1);
    const res = await metaStepAsync(params, x, n, d, h, k, mask, prototypes, m, none, 'ort');
    expect(res.count).toBe(0);
    expect(res.loss).toBe(0);
    expect(Array.from(res.grads.w1).every((v) => v === 0)).toBe(true);
  });

  it('phiEmbed(params, x) equals phiForward in evaluation mode on every engine', async () => {
    const { params, x } = fixture('zero-shot');
    const expected = phiForward(x, n, {
      d,
      h,
      k,
      w1: params.w1,
      b1: params.b1,
      w2: params.w2,
      b2: params.b2,
    });
    expectClose(phiEmbed(params, x, n, d, h, k, 'js'), expected, { rtol: 1e-12, atol: 1e-12 });
    expectClose(phiEmbed(params, Float32Array.from(x), n, d, h, k, 'tf'), expected, {
      rtol: 1e-4,
      atol: 1e-5,
    });
    expectClose(await phiEmbedAsync(params, x, n, d, h, k, 'ort'), expected, { rtol: 1e-4, atol: 1e-5 });
    expect((await phiEmbedAsync(params, x, 0, d, h, k, 'ort')).length).toBe(0);
  });
});
