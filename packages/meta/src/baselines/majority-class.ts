import { InvalidArgumentError, type MatrixLike, NotFittedError, asMatrix } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { checkInstanceSet } from '../internal/check-instance-set.js';
import { checkJsonKind } from '../internal/check-json-kind.js';

/** JSON form of a fitted {@link MajorityClass}. */
export interface MajorityClassJson {
  kind: 'MajorityClass';
  version: 1;
  label: number;
  numLabels: number;
}

/**
 * The majority-class baseline (METHOD.md section 6): predicts the most frequent training label
 * (the smallest id on ties) for every instance.
 * @example new MajorityClass().fit(train).score(test)
 */
export class MajorityClass {
  #label: number | undefined;
  #numLabels = 0;

  /** The predicted label id. @throws XLING_NOT_FITTED */
  get label(): number {
    if (this.#label === undefined) throw new NotFittedError('MajorityClass');
    return this.#label;
  }

  /** Counts labels of `train`. @throws XLING_INVALID_ARGUMENT for an empty or malformed set */
  fit(train: InstanceSet): this {
    const t = checkInstanceSet(train, 'train', 'MajorityClass.fit');
    if (t.x.rows === 0)
      throw new InvalidArgumentError(
        'train',
        'MajorityClass.fit',
        'must hold at least one instance, but got 0.',
      );
    const counts = new Int32Array(t.numLabels);
    for (const y of t.labels) counts[y]++;
    let best = 0;
    for (let c = 1; c < counts.length; c++) if (counts[c] > counts[best]) best = c;
    this.#label = best;
    this.#numLabels = t.numLabels;
    return this;
  }

  /** The majority label for each row of x. @throws XLING_NOT_FITTED */
  predict(x: MatrixLike): Int32Array {
    const label = this.label;
    return new Int32Array(asMatrix(x, 'x', 'MajorityClass.predict').rows).fill(label);
  }

  /** Accuracy on `set`. @throws XLING_NOT_FITTED */
  score(set: InstanceSet): number {
    const label = this.label;
    const s = checkInstanceSet(set, 'set', 'MajorityClass.score');
    let correct = 0;
    for (const y of s.labels) if (y === label) correct++;
    return s.labels.length === 0 ? Number.NaN : correct / s.labels.length;
  }

  toJSON(): MajorityClassJson {
    return { kind: 'MajorityClass', version: 1, label: this.label, numLabels: this.#numLabels };
  }

  /** @throws XLING_INVALID_ARGUMENT for another kind */
  static fromJSON(json: unknown): MajorityClass {
    const j = checkJsonKind<MajorityClassJson>(json, 'MajorityClass', [1], 'MajorityClass.fromJSON');
    const m = new MajorityClass();
    m.#label = j.label;
    m.#numLabels = j.numLabels;
    return m;
  }
}
