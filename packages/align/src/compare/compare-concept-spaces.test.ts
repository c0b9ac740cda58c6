import { createRng } from '@xling/core';
import { expectClose } from '@xling/core/testing';
import { describe, expect, it } from 'vitest';
import { linearCka } from '../metrics/linear-cka.js';
import { rsa } from '../metrics/rsa.js';
import { procrustesDisparity } from '../procrustes/procrustes-disparity.js';
import { permutation, pickRows } from '../significance/statistic.js';
import { type ConceptSpace, compareConceptSpaces } from './compare-concept-spaces.js';

const LABELS = ['ADJ', 'ADP', 'ADV', 'NOUN', 'PRON', 'VERB', 'X'];

function space(seed: number, labels: string[], d = 20): Record<string, number[]> {
  const rng = createRng(seed);
  return Object.fromEntries(labels.map((l) => [l, Array.from({ length: d }, () => rng.normal())]));
}

describe('compareConceptSpaces(spaces, options)', () => {
  it('compareConceptSpaces(spaces) equals pairwise procrustesDisparity and rsa on the shared labels', () => {
    const spaces: Record<string, ConceptSpace> = {
      en: { prototypes: space(1, LABELS) },
      de: { prototypes: space(2, LABELS.slice(1)) },
      hi: { prototypes: new Map(Object.entries(space(3, ['VERB', 'NOUN', 'ADJ', 'X', 'ADV']))) },
    };
    const r = compareConceptSpaces(spaces, {
      metrics: ['procrustes', 'rsa', 'linearCka'],
      custom: { rows: (x) => x.rows },
    });
    expect(r.languages).toEqual(['de', 'en', 'hi']);
    const matrix = (name: string, labels: string[]): number[][] => {
      const p = spaces[name].prototypes;
      return labels.map((l) =>
        Array.from((p instanceof Map ? p.get(l) : (p as Record<string, number[]>)[l])!),
      );
    };
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const a = r.languages[i];
        const b = r.languages[j];
        const shared = LABELS.filter((l) => has(spaces[a], l) && has(spaces[b], l));
        expect(r.shared[i][j]).toBe(shared.length);
        expect(r.metrics.rows[i][j]).toBe(shared.length);
        expectClose(r.metrics.procrustes[i][j], procrustesDisparity(matrix(a, shared), matrix(b, shared)), {
          atol: 1e-13,
        });
        expectClose(r.metrics.rsa[i][j], rsa(matrix(a, shared), matrix(b, shared)));
        expectClose(r.metrics.linearCka[i][j], linearCka(matrix(a, shared), matrix(b, shared)));
      }
    }
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('compareConceptSpaces(spaces, { minCount }) drops rare labels and orders shared labels by labelOrder', () => {
    const en = space(1, LABELS);
    const de = space(2, LABELS);
    const counts = Object.fromEntries(LABELS.map((l, i) => [l, i < 2 ? 3 : 50]));
    const r = compareConceptSpaces(
      { en: { prototypes: en, counts }, de: { prototypes: de } },
      { minCount: 10, metrics: ['rsa'], rsa: { method: 'kendall', metric: 'cosine' } },
    );
    expect(r.shared[0][1]).toBe(5);
    const kept = LABELS.slice(2);
    expectClose(
      r.metrics.rsa[0][1],
      rsa(
        kept.map((l) => de[l]),
        kept.map((l) => en[l]),
        { method: 'kendall', metric: 'cosine' },
      ),
    );
  });

  it('compareConceptSpaces(spaces, { permutations }) adds permutation p-values from a per-pair stream', () => {
    const en = space(1, LABELS);
    const de = Object.fromEntries(
      Object.entries(en).map(([l, v]) => [l, v.map((x, k) => x + 0.2 * Math.cos(k + l.length))]),
    );
    const hi = space(3, LABELS);
    const r = compareConceptSpaces(
      { en: { prototypes: en }, de: { prototypes: de }, hi: { prototypes: hi } },
      {
        metrics: ['procrustes', 'rsa'],
        custom: { cka: (x, y) => linearCka(x, y) },
        permutations: 30,
        seed: 5,
      },
    );
    expect(r.pValues!.procrustes[0][0]).toBeNull();
    expect(r.pValues!.procrustes[0][1]).toBe(1 / 31);
    expect(r.pValues!.rsa[0][1]).toBe(1 / 31);
    expect(r.pValues!.cka[1][0]).toBe(1 / 31);
    // Recompute de-hi by hand: same stream, same orders, procrustesDisparity on shuffled rows.
    const rng = createRng(5).fork('de\u0000hi');
    const labels = [...LABELS].sort();
    const x = { rows: labels.length, cols: 20, data: Float64Array.from(labels.flatMap((l) => de[l])) };
    const y = { rows: labels.length, cols: 20, data: Float64Array.from(labels.flatMap((l) => hi[l])) };
    const observed = procrustesDisparity(x, y);
    let extreme = 0;
    for (let p = 0; p < 30; p++) {
      if (
        procrustesDisparity(
          x,
          pickRows(
            y,
            permutation(labels.length, (t) => rng.int(t)),
          ),
        ) <=
        observed + 1e-12
      )
        extreme++;
    }
    expect(r.pValues!.procrustes[0][2]).toBe((1 + extreme) / 31);
    expect(compareConceptSpaces({ en: { prototypes: en }, de: { prototypes: de } }).pValues).toBeUndefined();
  });

  it('compareConceptSpaces(spaces) throws naming both languages when they share too few labels', () => {
    expect(() =>
      compareConceptSpaces({
        en: { prototypes: space(1, ['NOUN', 'VERB', 'ADJ']) },
        ja: { prototypes: space(2, ['X', 'SYM', 'PART']) },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'en' and 'ja' sharing 0 labels/),
      }),
    );
  });

  it('compareConceptSpaces(spaces) throws for one language, NaN vectors, ragged or mixed dimensions and bad options', () => {
    expect(() => compareConceptSpaces({})).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/at least 2 languages, but got 0/),
      }),
    );
    expect(() => compareConceptSpaces({ en: { prototypes: space(1, LABELS) } })).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    const bad = space(2, LABELS);
    bad.NOUN[3] = Number.NaN;
    expect(() =>
      compareConceptSpaces({ en: { prototypes: space(1, LABELS) }, de: { prototypes: bad } }),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/spaces.de.prototypes.NOUN.*NaN/) }));
    const ragged = space(2, LABELS);
    ragged.VERB = [1, 2];
    expect(() =>
      compareConceptSpaces({ en: { prototypes: space(1, LABELS) }, de: { prototypes: ragged } }),
    ).toThrow(expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH' }));
    expect(() =>
      compareConceptSpaces({
        en: { prototypes: space(1, LABELS, 5) },
        de: { prototypes: space(2, LABELS, 6) },
      }),
    ).toThrow(
      expect.objectContaining({ code: 'XLING_SHAPE_MISMATCH', message: expect.stringMatching(/procrustes/) }),
    );
    expect(
      compareConceptSpaces(
        { en: { prototypes: space(1, LABELS, 5) }, de: { prototypes: space(2, LABELS, 6) } },
        { metrics: ['rsa'] },
      ).metrics.rsa[0][0],
    ).toBe(1);
    expect(() =>
      compareConceptSpaces(
        { en: { prototypes: space(1, LABELS) }, de: { prototypes: space(2, LABELS) } },
        { metrics: ['cka' as 'rsa'] },
      ),
    ).toThrow(expect.objectContaining({ message: expect.stringMatching(/options.metrics/) }));
  });
});

function has(s: ConceptSpace, label: string): boolean {
  return s.prototypes instanceof Map ? s.prototypes.has(label) : label in s.prototypes;
}
