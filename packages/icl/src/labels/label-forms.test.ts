import { DEPREL_LABELS, UPOS_LABELS } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { labelForms } from './label-forms.js';

describe('labelForms(labels, form, seed)', () => {
  it("keeps the names ('strings'), numbers them ('integers') or names their class ('names')", () => {
    expect(labelForms(['NOUN', 'VERB'], 'strings')).toEqual(['NOUN', 'VERB']);
    expect(labelForms(['NOUN', 'VERB', 'X'], 'integers')).toEqual(['0', '1', '2']);
    expect(labelForms(['NOUN', 'PROPN', 'nsubj'], 'names')).toEqual([
      'noun',
      'proper noun',
      'nominal subject',
    ]);
  });

  it('has an English class name for every UPOS tag and universal relation, all distinct per task', () => {
    for (const labels of [UPOS_LABELS, DEPREL_LABELS]) {
      const names = labelForms(labels, 'names');
      expect(names.every((name) => typeof name === 'string' && name.length > 0)).toBe(true);
      expect(new Set(names).size).toBe(labels.length);
    }
  });

  it("'shuffled' is a seeded permutation of the names: same seed, same forms", () => {
    const a = labelForms(UPOS_LABELS, 'shuffled', 3);
    expect([...a].sort()).toEqual([...UPOS_LABELS].sort());
    expect(a).not.toEqual([...UPOS_LABELS]);
    expect(labelForms(UPOS_LABELS, 'shuffled', 3)).toEqual(a);
    expect(labelForms(UPOS_LABELS, 'shuffled', 4)).not.toEqual(a);
  });
});
