import { InvalidArgumentError, type OptionConstraints, checkOptions } from '@xling/core';
import type { ConceptMeasure, MeasureOptions } from './concept-measure.js';

const ID = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** Throws unless `measure` has the shape of a {@link ConceptMeasure} with valid option defaults. */
function checkMeasure(measure: ConceptMeasure, fn: string): void {
  const where = `measure ${typeof measure?.id === 'string' ? `'${measure.id}'` : ''}`.trim();
  const bad = (problem: string) => new InvalidArgumentError(where, fn, problem);
  if (typeof measure !== 'object' || measure === null) throw bad('must be an object.');
  if (typeof measure.id !== 'string' || !ID.test(measure.id))
    throw bad('must have an id of letters, digits, ".", "_" or "-", starting with a letter.');
  for (const key of ['label', 'description'] as const)
    if (typeof measure[key] !== 'string' || measure[key] === '') throw bad(`must have a non-empty ${key}.`);
  if (typeof measure.higherIsMoreAlignable !== 'boolean')
    throw bad('must say higherIsMoreAlignable (a boolean).');
  if (!Number.isInteger(measure.minShared) || measure.minShared < 2)
    throw bad('must have minShared, an integer >= 2 (the fewest shared labels a pair needs).');
  for (const key of ['prepare', 'compare'] as const)
    if (typeof measure[key] !== 'function') throw bad(`must have a ${key} function.`);
  if (measure.permuteRows !== undefined && typeof measure.permuteRows !== 'function')
    throw bad('has a permuteRows that is not a function.');
  const defaults = Object.fromEntries(
    Object.entries(measure.options ?? {}).flatMap(([k, o]) =>
      o.default === undefined ? [] : [[k, o.default]],
    ),
  );
  checkOptions(defaults, constraintsOf(measure), `${fn} (defaults of '${measure.id}')`);
}

function constraintsOf(measure: ConceptMeasure): OptionConstraints {
  return Object.fromEntries(
    Object.entries(measure.options ?? {}).map(([k, { default: _d, description: _s, ...c }]) => [k, c]),
  ) as OptionConstraints;
}

/**
 * The concept-space measures xling can compute, by id (scikit-learn's scorer registry, for
 * alignability). {@link compareConceptSpaces}, config validation, `xling config init`, the CLI help
 * and the reports all read one registry, so nothing else lists measures. {@link measures} is the
 * default one, holding the built-ins; plugins register into it.
 */
export class MeasureRegistry {
  readonly #byId = new Map<string, ConceptMeasure>();

  /**
   * Adds a measure. @throws XLING_INVALID_ARGUMENT for a malformed measure or a taken id (unless
   * `replace`).
   */
  register(measure: ConceptMeasure, options: { replace?: boolean } = {}): this {
    checkMeasure(measure, 'MeasureRegistry.register');
    if (this.#byId.has(measure.id) && !options.replace) {
      throw new InvalidArgumentError(
        `measure '${measure.id}'`,
        'MeasureRegistry.register',
        'is already registered (pass { replace: true } to override it).',
      );
    }
    this.#byId.set(measure.id, Object.freeze({ ...measure }));
    return this;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Every measure, in registration order. */
  list(): ConceptMeasure[] {
    return [...this.#byId.values()];
  }

  /** The measure `id`. @throws XLING_INVALID_ARGUMENT naming the known ids. */
  get(id: string, where = 'id', fn = 'MeasureRegistry.get'): ConceptMeasure {
    const m = this.#byId.get(id);
    if (m === undefined)
      throw new InvalidArgumentError(
        where,
        fn,
        `must be a registered measure (${this.ids()}), but got '${id}'.`,
      );
    return m;
  }

  /**
   * The measures matching `patterns`, in pattern order without repeats; `*` matches any run of
   * characters (`'*Cka'`, `'*'`). @throws XLING_INVALID_ARGUMENT for a pattern matching nothing.
   */
  select(patterns: readonly string[], where = 'metrics', fn = 'MeasureRegistry.select'): ConceptMeasure[] {
    const out = new Map<string, ConceptMeasure>();
    patterns.forEach((pattern, i) => {
      if (typeof pattern !== 'string')
        throw new InvalidArgumentError(
          `${where}[${i}]`,
          fn,
          `must be a measure id, but got ${typeof pattern}.`,
        );
      const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      const hits = this.list().filter((m) => re.test(m.id));
      if (hits.length === 0)
        throw new InvalidArgumentError(
          `${where}[${i}]`,
          fn,
          `must name a registered measure (${this.ids()}), but got '${pattern}'.`,
        );
      for (const m of hits) out.set(m.id, m);
    });
    return [...out.values()];
  }

  /** `given` checked against the measure's option constraints, defaults filled in. */
  resolveOptions(measure: ConceptMeasure, given: unknown, fn: string): MeasureOptions {
    if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
      throw new InvalidArgumentError(
        `measureOptions.${measure.id}`,
        fn,
        'must be an object of option -> value.',
      );
    checkOptions(given as object | undefined, constraintsOf(measure), `${fn} (options of '${measure.id}')`);
    const out: Record<string, unknown> = {};
    for (const [k, o] of Object.entries(measure.options ?? {}))
      if (o.default !== undefined) out[k] = o.default;
    for (const [k, v] of Object.entries((given as object | undefined) ?? {})) if (v !== undefined) out[k] = v;
    return Object.freeze(out);
  }

  private ids(): string {
    return [...this.#byId.keys()].join(', ');
  }
}

const escapeRegExp = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
