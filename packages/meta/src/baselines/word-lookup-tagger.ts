import { InvalidArgumentError, NotFittedError } from '@xling/core';
import type { InstanceSet } from '../instances/instance-set.js';
import { checkInstanceSet } from '../internal/check-instance-set.js';
import { checkWordIds } from './check-word-ids.js';
import { accuracy } from '../internal/accuracy.js';
import { checkJsonKind } from '../internal/check-json-kind.js';

/** JSON form of a fitted {@link WordLookupTagger}. */
export interface WordLookupTaggerJson {
  kind: 'WordLookupTagger';
  version: 1;
  numLabels: number;
  /** The label predicted for unseen forms (majority label of the fitting set). */
  fallbackLabel: number;
  /** Word-form ids seen in fitting, ascending. */
  wordIds: number[];
  /** Predicted label of each of `wordIds`. */
  labels: number[];
}

/**
 * The word-identity baseline: predicts, for each word form, its most frequent label in the
 * fitting set (the smallest label id on ties), and for forms never seen in fitting the majority
 * label of the fitting set. It uses no vectors, only `wordIds`: a probe that does not beat it has
 * not shown that the representations encode more than word identity (the "most frequent tag"
 * baseline of POS tagging; cf. Hewitt & Liang 2019 on lexical memorisation).
 *
 * @example
 * const tagger = new WordLookupTagger().fit(train);
 * tagger.score(test); tagger.coverage(test);
 */
export class WordLookupTagger {
  #state: { numLabels: number; fallbackLabel: number; table: Map<number, number> } | undefined;

  #fitted() {
    if (this.#state === undefined) throw new NotFittedError('WordLookupTagger');
    return this.#state;
  }

  /** The label predicted for forms unseen in fitting. @throws XLING_NOT_FITTED */
  get fallbackLabel(): number {
    return this.#fitted().fallbackLabel;
  }

  /** Number of distinct word forms seen in fitting. @throws XLING_NOT_FITTED */
  get vocabularySize(): number {
    return this.#fitted().table.size;
  }

  /**
   * Counts labels per word form of `train`.
   * @throws XLING_INVALID_ARGUMENT for an empty or malformed set, or one without `train.wordIds`;
   * XLING_SHAPE_MISMATCH when `train.wordIds` does not have one entry per row
   */
  fit(train: InstanceSet): this {
    const fn = 'WordLookupTagger.fit';
    const t = checkInstanceSet(train, 'train', fn);
    const wordIds = checkWordIds(train, t.x.rows, 'train', fn);
    if (t.x.rows === 0)
      throw new InvalidArgumentError('train', fn, 'must hold at least one instance, but got 0.');
    const c = t.numLabels;
    const perForm = new Map<number, Int32Array>();
    const total = new Int32Array(c);
    for (let i = 0; i < wordIds.length; i++) {
      let counts = perForm.get(wordIds[i]);
      if (counts === undefined) {
        counts = new Int32Array(c);
        perForm.set(wordIds[i], counts);
      }
      counts[t.labels[i]]++;
      total[t.labels[i]]++;
    }
    const table = new Map<number, number>();
    for (const [id, counts] of perForm) table.set(id, argmax(counts));
    this.#state = { numLabels: c, fallbackLabel: argmax(total), table };
    return this;
  }

  /**
   * The label of each word-form id: its most frequent fitting label, or {@link fallbackLabel} if unseen.
   * @throws XLING_NOT_FITTED; XLING_INVALID_ARGUMENT when `wordIds` is not an Int32Array
   */
  predict(wordIds: Int32Array): Int32Array {
    const s = this.#fitted();
    if (!(wordIds instanceof Int32Array)) {
      throw new InvalidArgumentError(
        'wordIds',
        'WordLookupTagger.predict',
        `must be an Int32Array of word-form ids, but got ${Array.isArray(wordIds) ? 'an array' : typeof wordIds}.`,
      );
    }
    const out = new Int32Array(wordIds.length);
    for (let i = 0; i < wordIds.length; i++) out[i] = s.table.get(wordIds[i]) ?? s.fallbackLabel;
    return out;
  }

  /**
   * Accuracy on `set` (NaN for an empty set).
   * @throws XLING_NOT_FITTED; XLING_INVALID_ARGUMENT without `set.wordIds`; XLING_SHAPE_MISMATCH
   */
  score(set: InstanceSet): number {
    this.#fitted();
    const fn = 'WordLookupTagger.score';
    const checked = checkInstanceSet(set, 'set', fn);
    const predicted = this.predict(checkWordIds(set, checked.x.rows, 'set', fn));
    return accuracy(predicted, checked.labels);
  }

  /**
   * Fraction of the rows of `set` whose word form was seen in fitting (NaN for an empty set): the
   * share of `set` on which the tagger answers from its table rather than the fallback.
   * @throws XLING_NOT_FITTED; XLING_INVALID_ARGUMENT without `set.wordIds`; XLING_SHAPE_MISMATCH
   */
  coverage(set: InstanceSet): number {
    const s = this.#fitted();
    const fn = 'WordLookupTagger.coverage';
    const checked = checkInstanceSet(set, 'set', fn);
    const wordIds = checkWordIds(set, checked.x.rows, 'set', fn);
    let seen = 0;
    for (let i = 0; i < wordIds.length; i++) if (s.table.has(wordIds[i])) seen++;
    return wordIds.length === 0 ? Number.NaN : seen / wordIds.length;
  }

  toJSON(): WordLookupTaggerJson {
    const s = this.#fitted();
    // Sorted by id so that equal taggers serialise identically whatever the fitting order.
    const ids = Int32Array.from(s.table.keys()).sort();
    return {
      kind: 'WordLookupTagger',
      version: 1,
      numLabels: s.numLabels,
      fallbackLabel: s.fallbackLabel,
      wordIds: Array.from(ids),
      labels: Array.from(ids, (id) => s.table.get(id) as number),
    };
  }

  /** @throws XLING_INVALID_ARGUMENT for another kind or inconsistent sizes */
  static fromJSON(json: unknown): WordLookupTagger {
    const fn = 'WordLookupTagger.fromJSON';
    const j = checkJsonKind<WordLookupTaggerJson>(json, 'WordLookupTagger', [1], fn);
    if (!Array.isArray(j.wordIds) || !Array.isArray(j.labels) || j.wordIds.length !== j.labels.length) {
      throw new InvalidArgumentError('json', fn, "must hold 'wordIds' and 'labels' arrays of equal length.");
    }
    const out = new WordLookupTagger();
    out.#state = {
      numLabels: j.numLabels,
      fallbackLabel: j.fallbackLabel,
      table: new Map(j.wordIds.map((id, i) => [id, j.labels[i]])),
    };
    return out;
  }
}

/** Index of the largest count, the smallest index on ties. */
function argmax(counts: Int32Array): number {
  let best = 0;
  for (let c = 1; c < counts.length; c++) if (counts[c] > counts[best]) best = c;
  return best;
}
