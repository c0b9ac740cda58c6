/**
 * Adam on a flat float64 parameter vector, exactly `torch.optim.Adam` (L2 weight decay added to
 * the gradient, bias-corrected moments, eps added after the square root).
 * @see https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html
 */
export class AdamState {
  readonly m: Float64Array;
  readonly v: Float64Array;
  step = 0;

  constructor(
    size: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    readonly eps = 1e-8,
  ) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
  }

  /** Updates `param` in place from `grad` with learning rate `lr` and weight decay `weightDecay`. */
  update(param: Float64Array, grad: Float64Array | Float32Array, lr: number, weightDecay: number): void {
    this.step += 1;
    const { m, v, beta1, beta2, eps } = this;
    const bc1 = 1 - beta1 ** this.step;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** this.step);
    const stepSize = lr / bc1;
    for (let i = 0; i < param.length; i++) {
      const g = grad[i] + weightDecay * param[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      param[i] -= (stepSize * m[i]) / (Math.sqrt(v[i]) / bc2Sqrt + eps);
    }
  }
}

/** Cosine decay without warm-up: lr * 0.5 * (1 + cos(pi * step / total)), `step` from 0. */
export function cosineLearningRate(lr: number, step: number, total: number): number {
  if (total <= 0) return lr;
  return lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, total)) / total));
}
