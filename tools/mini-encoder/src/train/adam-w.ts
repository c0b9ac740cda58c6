import * as tf from '@tensorflow/tfjs-core';

/** Options of {@link AdamW}. */
export interface AdamWOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  weightDecay?: number;
  /** Clip the global gradient norm to this (0 = no clipping). */
  clipNorm?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter 2019), bias-corrected, with global
 * gradient-norm clipping; no decay on biases and LayerNorm parameters (as in BERT). The
 * moments are tf variables so they can be checkpointed.
 *
 * @see https://arxiv.org/abs/1711.05101 Algorithm 2
 */
export class AdamW {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  step = 0;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;
  private readonly clipNorm: number;

  constructor(
    private readonly params: ReadonlyMap<string, tf.Variable>,
    options: AdamWOptions = {},
  ) {
    ({
      beta1: this.beta1 = 0.9,
      beta2: this.beta2 = 0.98,
      epsilon: this.epsilon = 1e-6,
      weightDecay: this.weightDecay = 0.01,
      clipNorm: this.clipNorm = 1,
    } = options);
    for (const [name, p] of params) {
      this.m.set(name, tf.variable(tf.zerosLike(p), false));
      this.v.set(name, tf.variable(tf.zerosLike(p), false));
    }
  }

  /** Applies one update with learning rate `lr` (`grads` keyed by variable name, as `tf.variableGrads` returns them); returns the gradient norm before clipping. */
  apply(grads: Record<string, tf.Tensor>, lr: number): number {
    this.step++;
    const t = this.step;
    const c1 = 1 - this.beta1 ** t;
    const c2 = 1 - this.beta2 ** t;
    const norm = tf.tidy(() => tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g))))));
    const normValue = norm.dataSync()[0];
    norm.dispose();
    const scale = this.clipNorm > 0 && normValue > this.clipNorm ? this.clipNorm / normValue : 1;
    tf.tidy(() => {
      for (const [name, p] of this.params) {
        const g0 = grads[p.name];
        if (g0 === undefined) continue;
        const g = scale === 1 ? g0 : tf.mul(g0, scale);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        const decays = this.weightDecay > 0 && name.endsWith('.weight') && !name.includes('LayerNorm');
        const next = decays
          ? tf.sub(tf.mul(p, 1 - lr * this.weightDecay), tf.mul(update, lr))
          : tf.sub(p, tf.mul(update, lr));
        p.assign(next);
      }
    });
    return normValue;
  }
}

/** Linear warm-up to `peak` over `warmup` steps, then linear decay to 0 at `total` steps. */
export function learningRateAt(step: number, peak: number, warmup: number, total: number): number {
  if (step < warmup) return (peak * (step + 1)) / warmup;
  return peak * Math.max(0, (total - step) / Math.max(1, total - warmup));
}
