import {
  InvalidArgumentError,
  type MatrixLike,
  type OptionConstraints,
  ShapeMismatchError,
  asMatrix,
  checkOptions,
  createRng,
} from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { AdamState } from '../internal/adam.js';
import { checkInstanceSet, sentenceRows } from '../internal/check-instance-set.js';
import { argminRows, squaredDistances } from '../internal/linalg.js';
import { MetaLearnerBase, type MetaLearnerOptions } from '../internal/meta-learner-base.js';
import { applyAdapter, phiForward } from '../internal/phi.js';
import { prototypeLoss } from '../internal/prototype-loss.js';

/** Options of {@link LanguageAdapterProtoNet}. */
export type LanguageAdapterProtoNetOptions = MetaLearnerOptions;

/** Options of {@link LanguageAdapterProtoNet.adapt}; defaults are METHOD.md section 5's. */
export interface AdaptOptions {
  /** Adam learning rate (constant). @defaultValue 1e-4 */
  learningRate?: number;
  /** Adam L2 weight decay. @defaultValue 1e-6 */
  weightDecay?: number;
  /** Epochs; the epoch with the lowest training loss is kept. @defaultValue 50 */
  epochs?: number;
  /** Sentences per batch. @defaultValue 8 */
  batchSize?: number;
  /** Seed of the batch order. @defaultValue 0 */
  seed?: number;
}

const adaptConstraints: OptionConstraints = {
  learningRate: { type: 'number', min: 0 },
  weightDecay: { type: 'number', min: 0 },
  epochs: { type: 'integer', min: 0 },
  batchSize: { type: 'integer', min: 1 },
  seed: { type: 'integer' },
};

/** A target-language adapter A_t fitted by {@link LanguageAdapterProtoNet.adapt}: g_t(x) = A_t phi(x) + c_t. */
export interface FewShotAdapter {
  /** A_t, k × k row-major. */
  readonly weights: Float64Array;
  /** c_t, length k. */
  readonly bias: Float64Array;
  /** Lowest epoch training loss (the kept epoch's). */
  readonly loss: number;
  /** The kept epoch (0 = identity initialisation). */
  readonly bestEpoch: number;
  /** Nearest-source-prototype label ids of rows of x. */
  predict(x: MatrixLike): Int32Array;
  /** Word-level accuracy; labels without a prototype count as errors. */
  score(set: InstanceSet): number;
}

/**
 * The few-shot meta-learner of METHOD.md section 5: phi shared across languages and a
 * language-specific adapter A_l (k × k with bias, identity init) per meta-training language,
 * g_l(x) = A_l phi(x) + c_l against the fixed source prototypes. At test time
 * {@link LanguageAdapterProtoNet.adapt} fits a fresh adapter on N labelled target sentences
 * with phi frozen (evaluation mode: no dropout). `predict` without adaptation uses the identity
 * adapter.
 *
 * @see Xu et al. 2023 (arXiv 2310.12794), section 5; reference `LsAdaProto`
 * @example
 * const net = await new LanguageAdapterProtoNet().fit({ source, languages, validation });
 * const adapter = net.adapt(targetSupport);
 * adapter.score(targetTest);
 */
export class LanguageAdapterProtoNet extends MetaLearnerBase<LanguageAdapterProtoNetOptions> {
  protected readonly variant = 'few-shot' as const;
  protected readonly kind = 'LanguageAdapterProtoNet';

  constructor(options: LanguageAdapterProtoNetOptions = {}) {
    super(options, 'LanguageAdapterProtoNet');
  }

  /** Meta-trained adapters by language: `a` (k × k row-major) and `c`. @throws XLING_NOT_FITTED */
  get adapters(): Record<string, { a: Float64Array; c: Float64Array }> {
    const s = this.fitted();
    return Object.fromEntries(
      Object.entries(s.adapters ?? {}).map(([l, v]) => [l, { a: v.a.slice(), c: v.c.slice() }]),
    );
  }

  protected queryPrototypes(): Float64Array {
    return this.sourcePrototypeRows();
  }

  /**
   * Fits a fresh adapter (identity init) on labelled target sentences with phi frozen: Adam
   * (torch semantics), batches of sentences, keeping the epoch with the lowest training loss.
   * Gradients are analytic (k × k parameters). Tokens whose label has no source prototype are
   * ignored by the loss.
   * @throws XLING_NOT_FITTED; XLING_INVALID_ARGUMENT for a malformed set or options
   */
  adapt(support: InstanceSet, options: AdaptOptions = {}): FewShotAdapter {
    const fn = 'LanguageAdapterProtoNet.adapt';
    checkOptions(options, adaptConstraints, fn);
    const { learningRate = 1e-4, weightDecay = 1e-6, epochs = 50, batchSize = 8, seed = 0 } = options;
    const s = this.fitted();
    const set = checkInstanceSet(support, 'support', fn, s.phi.d);
    const k = s.source.k;
    const labels = this.labels;
    const column = new Int32Array(s.source.numLabels).fill(-1);
    labels.forEach((c, i) => {
      column[c] = i;
    });
    const prototypes = this.queryPrototypes();
    const m = labels.length;
    const z = phiForward(set.x.data, set.x.rows, s.phi);
    // Parameters [A (k × k) | c (k)] in one flat vector for Adam.
    const params = new Float64Array(k * k + k);
    for (let i = 0; i < k; i++) params[i * k + i] = 1;
    const adam = new AdamState(params.length);
    const grad = new Float64Array(params.length);
    let best = params.slice();
    let bestLoss = Number.POSITIVE_INFINITY;
    let bestEpoch = 0;
    const numSentences = set.sentenceOffsets.length - 1;
    const order = Array.from({ length: numSentences }, (_, i) => i);
    const rng = createRng(seed);
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const shuffled = rng.fork(`epoch-${epoch}`).shuffle(order);
      let lossSum = 0;
      let batches = 0;
      for (let b = 0; b * batchSize < numSentences; b++) {
        const rows = sentenceRows(set.sentenceOffsets, shuffled.slice(b * batchSize, (b + 1) * batchSize));
        const n = rows.length;
        if (n === 0) continue;
        const zb = new Float64Array(n * k);
        const target = new Int32Array(n);
        for (let r = 0; r < n; r++) {
          zb.set(z.subarray(rows[r] * k, rows[r] * k + k), r * k);
          target[r] = column[set.labels[rows[r]]];
        }
        const a = params.subarray(0, k * k);
        const c = params.subarray(k * k);
        const g = applyAdapter(zb, n, k, a, c);
        const res = prototypeLoss(g, prototypes, target, n, m, k);
        if (res.count === 0) continue;
        grad.fill(0);
        // g_i = A z_i + c: dA[r][j] = sum_i dg[i][r] z[i][j], dc = sum_i dg[i].
        for (let i = 0; i < n; i++) {
          for (let r = 0; r < k; r++) {
            const dg = res.dz[i * k + r];
            if (dg === 0) continue;
            for (let j = 0; j < k; j++) grad[r * k + j] += dg * zb[i * k + j];
            grad[k * k + r] += dg;
          }
        }
        adam.update(params, grad, learningRate, weightDecay);
        lossSum += res.loss;
        batches++;
      }
      const loss = batches > 0 ? lossSum / batches : Number.POSITIVE_INFINITY;
      if (loss < bestLoss) {
        bestLoss = loss;
        best = params.slice();
        bestEpoch = epoch;
      }
    }
    const weights = best.slice(0, k * k);
    const bias = best.slice(k * k);
    const phi = s.phi;
    const predict = (x: MatrixLike): Int32Array => {
      const mx = asMatrix(x, 'x', 'FewShotAdapter.predict');
      if (mx.cols !== phi.d)
        throw new ShapeMismatchError('x', 'FewShotAdapter.predict', `${phi.d} columns`, String(mx.cols));
      const g = applyAdapter(phiForward(mx.data, mx.rows, phi), mx.rows, k, weights, bias);
      return argminRows(squaredDistances(g, prototypes, mx.rows, m, k), mx.rows, m).map((i) => labels[i]);
    };
    return {
      weights,
      bias,
      loss: bestLoss,
      bestEpoch,
      predict,
      score(target: InstanceSet): number {
        const checked = checkInstanceSet(target, 'set', 'FewShotAdapter.score', phi.d);
        if (checked.x.rows === 0)
          throw new InvalidArgumentError('set', 'FewShotAdapter.score', 'must hold at least one instance.');
        const predicted = predict(checked.x);
        let correct = 0;
        for (let i = 0; i < predicted.length; i++) if (predicted[i] === checked.labels[i]) correct++;
        return correct / predicted.length;
      },
    };
  }

  /** Restores a learner from {@link LanguageAdapterProtoNet.toJSON}. @throws XLING_INVALID_ARGUMENT for another kind */
  static fromJSON(json: unknown): LanguageAdapterProtoNet {
    const options = (json as { options?: LanguageAdapterProtoNetOptions })?.options ?? {};
    return new LanguageAdapterProtoNet(options).restore(json);
  }

  /** Loads a learner written by `save(folder)`. */
  static async load(folder: string): Promise<LanguageAdapterProtoNet> {
    return LanguageAdapterProtoNet.fromJSON(await MetaLearnerBase.readFolder(folder));
  }
}
