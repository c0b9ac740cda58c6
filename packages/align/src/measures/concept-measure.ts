import type { Matrix, OptionConstraint } from '@xling/core';

/** One option of a measure: its constraint (checked up front), default and a line for help text. */
export type MeasureOption = OptionConstraint & {
  default?: string | number | boolean;
  description: string;
};

/** A measure's options after defaults are filled in. */
export type MeasureOptions = Readonly<Record<string, unknown>>;

/**
 * A concept-space similarity measure: compares two languages' prototype matrices whose rows are
 * the same labels in the same order. Everything xling needs to select, configure, test for
 * significance and report a measure is declared here, so adding one is one module plus one
 * registry entry (or {@link MeasureRegistry.register} from outside, for a plugin).
 *
 * `prepare` runs once per language and label set (centring, factorisations, RDMs...), `compare`
 * once per pair. `permuteRows`, when given, is the fast path of the permutation test: the prepared
 * state of the second language with its rows (labels) reordered; without it the test re-prepares
 * from the permuted rows.
 */
export interface ConceptMeasure<S = unknown> {
  /** Name used in configs, options and result keys, e.g. `'linearCka'`. */
  readonly id: string;
  /** Name shown in reports, e.g. `'linear-cka'`. */
  readonly label: string;
  /** One line for `--help`, `xling config init` and the docs. */
  readonly description: string;
  /** Whether larger values mean more alignable; fixes the direction of permutation p-values. */
  readonly higherIsMoreAlignable: boolean;
  /** Fewest shared labels (rows) a pair needs. */
  readonly minShared: number;
  /** Both languages' prototypes must have the same number of columns. */
  readonly sameDimension?: boolean;
  /** Options settable per measure from a config or `compareConceptSpaces({ measureOptions })`. */
  readonly options?: Readonly<Record<string, MeasureOption>>;
  /** Per-language work on one label set; `where` names the input in error messages. */
  prepare(x: Matrix<Float64Array>, options: MeasureOptions, where: string): S;
  /** The measure of two prepared languages (same rows in the same order). */
  compare(a: S, b: S, options: MeasureOptions): number;
  /** Fast path for the permutation test: `b`'s state with its rows in the order `order`. */
  permuteRows?(b: S, order: Uint32Array): S;
}
