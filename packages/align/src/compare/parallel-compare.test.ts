import { createRng } from '@xling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { terminateParallelWorkers } from '../linalg/parallel-gemm.js';
import { BUILTIN_MEASURES, registerMeasure } from '../measures/builtin-measures.js';
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

  it('custom statistics and plugin measures stay on the calling thread, with the same result', () => {
    const s = spaces(4, 8, 5);
    const before = pooledCompareCount();
    const custom = { rows: (x: { rows: number }) => x.rows };
    expect(compareConceptSpaces(s, { custom, threads: 2 })).toEqual(compareConceptSpaces(s, { custom }));
    registerMeasure({ ...BUILTIN_MEASURES[0], id: 'pluginCopy' });
    expect(compareConceptSpaces(s, { metrics: ['pluginCopy'], threads: 2 }).metrics.pluginCopy).toEqual(
      compareConceptSpaces(s, { metrics: ['procrustes'] }).metrics.procrustes,
    );
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

  it('rejects a threads option that is not an integer >= 1', () => {
    const s = spaces(3, 4, 1);
    for (const threads of [0, 1.5, -2]) {
      expect(() => compareConceptSpaces(s, { threads })).toThrow(/options\.threads/);
    }
  });
});
