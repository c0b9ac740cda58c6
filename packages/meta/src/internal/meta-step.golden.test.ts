import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import golden from '../__fixtures__/meta-step-golden.json' with { type: 'json' };
import { AdamState } from './adam.js';
import { type MetaBatch, type MetaStepParams, metaStep, metaStepAsync } from './meta-step.js';

const { n, d, k, m } = golden.shape;
const f = (a: number[]) => Float64Array.from(a);
const input = golden.inputs;
const batch = (): MetaBatch => ({
  x: { rows: n, cols: d, data: f(input.x) },
  mask: f(input.mask),
  prototypes: { rows: m, cols: k, data: f(input.prototypes) },
  target: Int32Array.from(input.target),
});

describe('metaStep against PyTorch (scripts/golden/meta/meta_step.py)', () => {
  for (const [variant, expected] of [
    ['zero-shot', golden.zeroShot],
    ['few-shot', golden.fewShot],
  ] as const) {
    it(`metaStep(params, ...) ${variant} loss and gradients equal torch autograd to 1e-12`, () => {
      const params: MetaStepParams = { w1: f(input.w1), b1: f(input.b1), w2: f(input.w2), b2: f(input.b2) };
      if (variant === 'zero-shot') params.u = f(input.u);
      else {
        params.a = f(input.a);
        params.c = f(input.c);
      }
      const res = metaStep(params, batch(), 'js');
      expectClose(res.loss, expected.loss, { rtol: 1e-12, atol: 1e-12 });
      for (const [name, grad] of Object.entries(expected.grads)) {
        expectClose(res.grads[name as keyof MetaStepParams]!, grad, {
          rtol: 1e-10,
          atol: 1e-12,
          label: name,
        });
      }
    });

    it(`metaStepAsync(params, ...) ${variant} on the ort engine equals torch autograd to float32 precision`, async () => {
      const params: MetaStepParams = { w1: f(input.w1), b1: f(input.b1), w2: f(input.w2), b2: f(input.b2) };
      if (variant === 'zero-shot') params.u = f(input.u);
      else {
        params.a = f(input.a);
        params.c = f(input.c);
      }
      const res = await metaStepAsync(params, batch(), 'ort');
      expectClose(res.loss, expected.loss, { rtol: 1e-5, atol: 1e-6 });
      for (const [name, grad] of Object.entries(expected.grads)) {
        expectClose(res.grads[name as keyof MetaStepParams]!, grad, { rtol: 1e-4, atol: 1e-5, label: name });
      }
    });
  }

  it('AdamState.update(...) equals torch.optim.Adam with weight decay over two steps', () => {
    const param = f(golden.adam.start);
    const adam = new AdamState(param.length);
    for (const g of golden.adam.grads) adam.update(param, f(g), golden.adam.lr, golden.adam.weightDecay);
    expectClose(param, golden.adam.result, { rtol: 1e-12, atol: 1e-14 });
    expect(adam.step).toBe(2);
  });
});
