import { InvalidArgumentError, type OptionConstraints, checkOptions } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { checkInstanceSet } from '../internal/check-instance-set.js';
import { checkWordIds } from './check-word-ids.js';

/** Options of {@link createControlTask}. */
export interface ControlTaskOptions {
  /** Seed of the word-type → control-label assignment (any integer, taken modulo 2^32). @defaultValue 0 */
  seed?: number;
}

/** A control task made by {@link createControlTask}. */
export interface ControlTask {
  /** The seed of the assignment. */
  readonly seed: number;
  /** Size of the label inventory of the fitting set; control labels are ids in `[0, numLabels)`. */
  readonly numLabels: number;
  /** Empirical label distribution of the fitting set (token frequencies / tokens), length `numLabels`. */
  readonly distribution: Float64Array;
  /**
   * The control label of a word type (a `wordFormId`), seen in fitting or not: the same id gets
   * the same label in every set.
   * @throws XLING_INVALID_ARGUMENT when `wordId` is not an integer
   */
  labelOf(wordId: number): number;
  /**
   * `set` with each label replaced by the control label of the row's word type: the same `x`,
   * `sentenceOffsets`, `wordIds` and other fields (not copied), new `labels`.
   * @throws XLING_INVALID_ARGUMENT without `set.wordIds` or for another `numLabels`; XLING_SHAPE_MISMATCH
   */
  relabel(set: InstanceSet): InstanceSet;
}

const constraints: OptionConstraints = {
  seed: { type: 'integer' },
};

/** SplitMix32 finaliser (MurmurHash3's fmix32 after a golden-ratio step): a bijection on 32 bits with full avalanche. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The control task of Hewitt & Liang (2019), "Designing and Interpreting Probes with Control
 * Tasks" (section 2): every word type gets one fixed random label, drawn from the empirical label
 * distribution of the fitting set `train`, so that the task can only be solved by memorising word
 * identity. The draw is a pure function of `(seed, wordId)` — a 32-bit hash of both mapped to
 * u in [0, 1), then the inverse CDF of the label distribution — so a type gets the same control
 * label in the fitting, dev and test sets, and types unseen in fitting get one too. Labels absent
 * from `train` are never drawn. For deprel sets the type is the dependent's form (the POS recipe
 * applied to relation labels, not the paper's edge-attachment control).
 *
 * Selectivity (Hewitt & Liang, section 3) = accuracy of a probe trained and tested on the real
 * task − accuracy of the same probe (same architecture and options) trained on
 * `relabel(train)` and tested on `relabel(test)`. High selectivity means the probe's accuracy
 * reflects the representation rather than the probe's capacity to memorise word types; callers
 * compute it from the two scores.
 *
 * @param train - the fitting set, with `wordIds`; its label distribution is the control distribution
 * @param options - `seed`
 * @returns a {@link ControlTask} with `labelOf(wordId)` and `relabel(set)`
 * @throws XLING_INVALID_ARGUMENT for an empty set, a set without `train.wordIds`, or a bad seed;
 * XLING_SHAPE_MISMATCH when `train.wordIds` does not have one entry per row
 * @see https://aclanthology.org/D19-1275/
 * @example
 * const control = createControlTask(train, { seed: 1 });
 * const real = new LinearProbe().fit(train).score(test);
 * const ctrl = new LinearProbe().fit(control.relabel(train)).score(control.relabel(test));
 * const selectivity = real - ctrl;
 */
export function createControlTask(train: InstanceSet, options: ControlTaskOptions = {}): ControlTask {
  const fn = 'createControlTask';
  checkOptions(options, constraints, fn);
  const { seed = 0 } = options;
  const t = checkInstanceSet(train, 'train', fn);
  checkWordIds(train, t.x.rows, 'train', fn);
  const n = t.x.rows;
  if (n === 0) throw new InvalidArgumentError('train', fn, 'must hold at least one instance, but got 0.');
  const numLabels = t.numLabels;
  // Cumulative integer counts: comparing u * n < cumulative[c] avoids rounding in summed probabilities.
  const cumulative = new Float64Array(numLabels);
  for (const y of t.labels) cumulative[y]++;
  const distribution = cumulative.map((count) => count / n);
  for (let c = 1; c < numLabels; c++) cumulative[c] += cumulative[c - 1];
  const key = mix32(seed >>> 0);

  function labelOf(wordId: number): number {
    if (!Number.isInteger(wordId)) {
      throw new InvalidArgumentError(
        'wordId',
        'ControlTask.labelOf',
        `must be an integer, but got ${wordId}.`,
      );
    }
    // Two rounds so that neighbouring ids and neighbouring seeds give unrelated draws.
    const u = mix32(mix32((wordId ^ key) >>> 0) + key) / 4294967296;
    const target = u * n;
    for (let c = 0; c < numLabels; c++) if (target < cumulative[c]) return c;
    return numLabels - 1;
  }

  function relabel(set: InstanceSet): InstanceSet {
    const rfn = 'ControlTask.relabel';
    const s = checkInstanceSet(set, 'set', rfn);
    if (s.numLabels !== numLabels) {
      throw new InvalidArgumentError(
        'set.numLabels',
        rfn,
        `must be ${numLabels} like the fitting set of the control task, but got ${s.numLabels}.`,
      );
    }
    const wordIds = checkWordIds(set, s.x.rows, 'set', rfn);
    const labels = new Int32Array(wordIds.length);
    for (let i = 0; i < wordIds.length; i++) labels[i] = labelOf(wordIds[i]);
    return { ...set, labels };
  }

  return { seed, numLabels, distribution, labelOf, relabel };
}
