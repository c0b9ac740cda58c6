import { createRng } from '@xling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { terminateParallelWorkers } from '../linalg/parallel-gemm.js';
import { BUILTIN_MEASURES } from '../measures/builtin-measures.js';
import { MeasureRegistry } from '../measures/measure-registry.js';
import { type ConceptSpace, compareConceptSpaces } from './compare-concept-spaces.js';
import { pooledCompareCount } from './parallel-compare.js';

const LABELS = ['ADJ', 'ADP', 'ADV', 'AUX', 'DET', 'NOUN', 'NUM', 'PRON', 'VERB', 'X'];

function spaces(count: number, d: number, seed: number, partial = false): Record<string, ConceptSpace> {
  const rng = createRng(seed);
  const out: Record<string, ConceptSpace> = {};
  for (let l = 0; l < count; l++) {
    // With `partial`, every third language lacks one label: pairs then have different label sets.
    const labels = partial && l % 3 === 0 ? LABELS.filter((_, i) => i !== l % LABELS.length) : LABELS;
    out[`l${l}`] = {
      prototypes: Object.fromEntries(labels.map((x) => [x, Array.from({ length: d }, () => rng.normal())])),
    };
  }
  return out;
}

describe('compareConceptSpaces(spaces, { threads })', () => {
  afterAll(() => terminateParallelWorkers());

  it('threads: 2 gives exactly the one-thread result, permutation p-values included', () => {
    for (const partial of [false, true]) {
      const s = spaces(9, 24, 7, partial);
      const options = { metrics: ['procrustes', 'rsa'], permutations: 19, seed: 3 };
      const before = pooledCompareCount();
      const pooled = compareConceptSpaces(s, { ...options, threads: 2 });
      expect(pooledCompareCount()).toBe(before + 1);
      expect(pooled).toEqual(compareConceptSpaces(s, options));
    }
  });

  it('every built-in measure gives the same numbers on 2 threads (with permutations)', () => {
    // CCA needs more rows than columns; the RSM distance at most as many.
    const wide = ['rsmRiemannian'];
    for (const [d, ids] of [
      [4, BUILTIN_MEASURES.map((m) => m.id).filter((id) => !wide.includes(id))],
      [24, wide],
    ] as const) {
      const s = spaces(5, d, 11, true);
      const options = { metrics: [...ids], permutations: 5 };
      expect(compareConceptSpaces(s, { ...options, threads: 2 })).toEqual(compareConceptSpaces(s, options));
    }
  });

  it('wide spaces (more dimensions than labels: Gram-space CKA states go to the worker) agree too', () => {
    const s = spaces(6, 40, 13, true);
    for (const debiased of [false, true]) {
      const options = {
        metrics: ['linearCka', 'procrustes'],
        permutations: 15,
        measureOptions: { linearCka: { debiased } },
      };
      expect(compareConceptSpaces(s, { ...options, threads: 2 })).toEqual(compareConceptSpaces(s, options));
    }
  });

  it('custom statistics and plugin measures stay on the calling thread, with the same result', () => {
    const s = spaces(4, 8, 5);
    const before = pooledCompareCount();
    const custom = { rows: (x: { rows: number }) => x.rows };
    expect(compareConceptSpaces(s, { custom, threads: 2 })).toEqual(compareConceptSpaces(s, { custom }));
    // A plugin registry (not the global default) with a copy of a built-in under another id.
    const registry = new MeasureRegistry().register({ ...BUILTIN_MEASURES[0], id: 'pluginCopy' });
    expect(
      compareConceptSpaces(s, { metrics: ['pluginCopy'], registry, threads: 2 }).metrics.pluginCopy,
    ).toEqual(compareConceptSpaces(s, { metrics: ['procrustes'] }).metrics.procrustes);
    expect(pooledCompareCount()).toBe(before);
  });

  it('errors are the one-thread errors: too few shared labels, a constant RDM, all-equal rows', () => {
    const sparse = { ...spaces(3, 2, 1), tiny: { prototypes: { ADJ: [1, 2], ADV: [3, 4] } } };
    expect(() => compareConceptSpaces(sparse, { threads: 2 })).toThrow(/share|sharing/);
    const flat: Record<string, ConceptSpace> = {
      ...spaces(3, 4, 2),
      flat: { prototypes: Object.fromEntries(LABELS.map((x) => [x, [1, 1, 1, 1]])) },
    };
    const one = (() => {
      try {
        compareConceptSpaces(flat);
      } catch (error) {
        return error as Error;
      }
    })();
    expect(one).toBeInstanceOf(Error);
    expect(() => compareConceptSpaces(flat, { threads: 2 })).toThrow(one!.message);
  });

  it('labelOrder, minCount with counts, and labels holding NUL characters give the one-thread result', () => {
    const s = spaces(7, 16, 9, true);
    // Each language has one rare label (a different one for most), which minCount drops.
    Object.values(s).forEach((space, l) => {
      space.counts = Object.fromEntries(
        Object.keys(space.prototypes).map((x, i) => [x, i === l % 4 ? 1 : 5]),
      );
    });
    const options = { minCount: 2, labelOrder: ['VERB', 'NOUN'], permutations: 9 };
    expect(compareConceptSpaces(s, { ...options, threads: 2 })).toEqual(compareConceptSpaces(s, options));
    // 'a\u0000b' + 'c' and 'a' + 'b\u0000c' join to the same string: the label lists must not mix.
    const v = (k: number) => [k, k * k, 1];
    const nul = {
      x: { prototypes: { 'a\u0000b': v(1), c: v(2), d: v(3), e: v(4) } },
      y: { prototypes: { a: v(1), 'b\u0000c': v(2), d: v(5), e: v(4) } },
    };
    for (const threads of [1, 2]) {
      expect(() => compareConceptSpaces(nul, { threads })).toThrow(/sharing 2 labels/);
    }
  });

  it('rejects a threads option that is not an integer >= 1', () => {
    const s = spaces(3, 4, 1);
    for (const threads of [0, 1.5, -2]) {
      expect(() => compareConceptSpaces(s, { threads })).toThrow(/options\.threads/);
    }
  });
});
