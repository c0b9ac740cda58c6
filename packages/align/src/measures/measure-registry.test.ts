import { type Matrix, createRng } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { compareConceptSpaces } from '../compare/compare-concept-spaces.js';
import { linearCka } from '../metrics/linear-cka.js';
import { rsa } from '../metrics/rsa.js';
import { BUILTIN_MEASURES, measures } from './builtin-measures.js';
import type { ConceptMeasure } from './concept-measure.js';
import { MeasureRegistry } from './measure-registry.js';
import { procrustesMeasure } from './procrustes-measure.js';

const LABELS = ['ADJ', 'ADP', 'ADV', 'DET', 'NOUN', 'PRON', 'VERB'];

function spaces(d = 12) {
  const rng = createRng(7);
  const one = () => ({
    prototypes: Object.fromEntries(LABELS.map((l) => [l, Array.from({ length: d }, () => rng.normal())])),
  });
  return { en: one(), de: one(), fi: one() };
}

/** A contributor's measure, defined here: the negated linear CKA, so lower = more alignable. */
const negatedCka: ConceptMeasure<Matrix<Float64Array>> = {
  id: 'negatedCka',
  label: 'negated-cka',
  description: 'minus linear CKA (a test measure whose lower values are more alignable)',
  higherIsMoreAlignable: false,
  minShared: 4,
  options: { scale: { type: 'number', min: 0, exclusiveMin: true, default: 1, description: 'factor' } },
  prepare: (x) => x,
  compare: (a, b, o) => -(o.scale as number) * linearCka(a, b),
};

describe('MeasureRegistry', () => {
  it('holds every built-in under its id, and the default registry has them all', () => {
    expect(measures.list().map((m) => m.id)).toEqual(BUILTIN_MEASURES.map((m) => m.id));
    expect(measures.get('linearCka').label).toBe('linear-cka');
    expect(measures.get('procrustes').higherIsMoreAlignable).toBe(false);
  });

  it('select() expands * wildcards in pattern order without repeats, and names unknown ids', () => {
    const r = new MeasureRegistry();
    for (const m of BUILTIN_MEASURES) r.register(m as ConceptMeasure);
    expect(r.select(['*Cka', 'rsa', 'linearCka']).map((m) => m.id)).toEqual(['linearCka', 'rbfCka', 'rsa']);
    expect(r.select(['*']).length).toBe(BUILTIN_MEASURES.length);
    expect(() => r.select(['cka'])).toThrow(/registered measure \(procrustes, rsa, linearCka.*but got 'cka'/);
  });

  it('register() rejects a taken id, a malformed measure and option defaults that break their constraint', () => {
    const r = new MeasureRegistry().register(negatedCka);
    expect(() => r.register(negatedCka)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
    expect(() => r.register(negatedCka, { replace: true })).not.toThrow();
    expect(() => r.register({ ...negatedCka, id: '1bad' })).toThrow(/id of letters/);
    expect(() => r.register({ ...negatedCka, id: 'x', minShared: 1 })).toThrow(/minShared/);
    const badDefault = {
      ...negatedCka,
      id: 'y',
      options: { k: { type: 'integer', min: 1, default: 0, description: 'k' } },
    };
    expect(() => r.register(badDefault as ConceptMeasure)).toThrow(/options.k/);
  });

  it('resolveOptions() fills defaults and rejects unknown or out-of-range options', () => {
    const rsaMeasure = measures.get('rsa');
    expect(measures.resolveOptions(rsaMeasure, undefined, 'f')).toEqual({
      metric: 'euclidean',
      method: 'spearman',
    });
    expect(measures.resolveOptions(rsaMeasure, { method: 'kendall' }, 'f').method).toBe('kendall');
    expect(() => measures.resolveOptions(rsaMeasure, { method: 'cosine' }, 'f')).toThrow(/options.method/);
    expect(() => measures.resolveOptions(rsaMeasure, { k: 3 }, 'f')).toThrow(/not a known option/);
  });
});

describe('compareConceptSpaces with the registry', () => {
  it('computes a measure defined outside the package, with its options, direction and minimum', () => {
    const registry = new MeasureRegistry().register(negatedCka);
    for (const m of BUILTIN_MEASURES) registry.register(m as ConceptMeasure);
    const s = spaces();
    const options = { registry, permutations: 49, seed: 3 };
    const mine = compareConceptSpaces(s, {
      ...options,
      metrics: ['negatedCka'],
      measureOptions: { negatedCka: { scale: 2 } },
    });
    const cka = compareConceptSpaces(s, { ...options, metrics: ['linearCka'] });
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++)
        expect(mine.metrics.negatedCka[i][j]).toBeCloseTo(-2 * cka.metrics.linearCka[i][j], 12);
    // Lower-is-better: the same permutations give exactly the p-values of linear CKA.
    expect(mine.pValues!.negatedCka).toEqual(cka.pValues!.linearCka);
    expect(() => compareConceptSpaces(s, { registry, metrics: ['negatedCka'], minShared: 3 })).toThrow(
      /at least 4 \(what 'negatedCka' needs\)/,
    );
  });

  it("gives the same p-values through a measure's fast path as through re-preparing permuted rows", () => {
    const registry = new MeasureRegistry()
      .register(procrustesMeasure as ConceptMeasure)
      .register({ ...procrustesMeasure, id: 'slowProcrustes', permuteRows: undefined } as ConceptMeasure);
    const r = compareConceptSpaces(spaces(), {
      registry,
      metrics: ['*Procrustes', 'procrustes'],
      permutations: 99,
    });
    expect(r.metrics.slowProcrustes).toEqual(r.metrics.procrustes);
    expect(r.pValues!.slowProcrustes).toEqual(r.pValues!.procrustes);
  });

  it('passes measureOptions (and the rsa shorthand) to the measure; options of unselected measures are an error', () => {
    const s = spaces();
    const viaOptions = compareConceptSpaces(s, {
      metrics: ['rsa'],
      measureOptions: { rsa: { method: 'pearson', metric: 'cosine' } },
    });
    const viaShorthand = compareConceptSpaces(s, {
      metrics: ['rsa'],
      rsa: { method: 'pearson', metric: 'cosine' },
    });
    const toRows = (p: Record<string, number[]>) => LABELS.map((l) => p[l]);
    const direct = rsa(toRows(s.de.prototypes), toRows(s.en.prototypes), {
      method: 'pearson',
      metric: 'cosine',
    });
    expect(viaOptions.metrics.rsa[0][1]).toBeCloseTo(direct, 12);
    expect(viaShorthand.metrics.rsa).toEqual(viaOptions.metrics.rsa);
    expect(() => compareConceptSpaces(s, { metrics: ['rsa'], measureOptions: { linearCka: {} } })).toThrow(
      /not selected/,
    );
  });
});

describe('every built-in measure through compareConceptSpaces', () => {
  /** 'a', its rotation 'b' (a random orthogonal map) and an unrelated 'c'. */
  function rotated(n: number, d: number) {
    const rng = createRng(11);
    const x = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
    // Gram-Schmidt on a random matrix gives the orthogonal map.
    const q: number[][] = [];
    for (let i = 0; i < d; i++) {
      const v = Array.from({ length: d }, () => rng.normal());
      for (const u of q) {
        const dot = u.reduce((s, ui, k) => s + ui * v[k], 0);
        for (let k = 0; k < d; k++) v[k] -= dot * u[k];
      }
      const norm = Math.hypot(...v);
      q.push(v.map((vk) => vk / norm));
    }
    const rot = x.map((row) => q.map((col) => col.reduce((s, c, k) => s + c * row[k], 0)));
    const other = x.map((row) => row.map(() => rng.normal()));
    const labels = Array.from({ length: n }, (_, i) => `L${i}`);
    const space = (rows: number[][]) => ({
      prototypes: Object.fromEntries(labels.map((l, i) => [l, rows[i]])),
    });
    return { a: space(x), b: space(rot), c: space(other) };
  }

  it('finds a rotated copy more alignable than an unrelated space, in the direction each measure declares', () => {
    for (const m of measures.list()) {
      // CCA needs more labels than dimensions, the RSM distance fewer.
      const spaces = m.id === 'rsmRiemannian' ? rotated(8, 12) : rotated(17, 5);
      const r = compareConceptSpaces(spaces, { metrics: [m.id], permutations: 19, seed: 1 });
      const [ab, ac] = [r.metrics[m.id][0][1], r.metrics[m.id][0][2]];
      expect(m.higherIsMoreAlignable ? ab > ac : ab < ac, `${m.id}: a~b ${ab}, a~c ${ac}`).toBe(true);
      expect(r.pValues![m.id][0][1], m.id).toBeLessThan(r.pValues![m.id][0][2]! + 1e-12);
    }
  });
});
