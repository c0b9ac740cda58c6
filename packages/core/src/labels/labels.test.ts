import { describe, expect, it } from 'vitest';
import { DEPREL_LABELS, deprel, stripDeprelSubtype } from './deprel.js';
import { createLabelInventory } from './label-inventory.js';
import { UPOS_LABELS, upos } from './upos.js';

describe('label inventories', () => {
  it('upos has the 17 UPOS tags with ids in METHOD.md order', () => {
    expect(upos.size).toBe(17);
    expect(UPOS_LABELS[0]).toBe('ADJ');
    expect(upos.id('NOUN')).toBe(7);
    expect(upos.id('X')).toBe(16);
    expect(upos.label(12)).toBe('PUNCT');
  });

  it('deprel has the 37 universal relations with ids in METHOD.md order', () => {
    expect(deprel.size).toBe(37);
    expect(DEPREL_LABELS.length).toBe(37);
    expect(deprel.id('acl')).toBe(0);
    expect(deprel.id('nsubj')).toBe(26);
    expect(deprel.id('root')).toBe(34);
    expect(deprel.id('xcomp')).toBe(36);
  });

  it('stripDeprelSubtype(label) removes the subtype', () => {
    expect(stripDeprelSubtype('nmod:poss')).toBe('nmod');
    expect(stripDeprelSubtype('obl:tmod')).toBe('obl');
    expect(stripDeprelSubtype('root')).toBe('root');
  });

  it('inventory.id(unknown) throws XLING_INVALID_ARGUMENT; indexOf gives -1', () => {
    expect(() => upos.id('NOUNS')).toThrow(/must be one of the 17 upos labels, but got 'NOUNS'/);
    expect(upos.indexOf('NOUNS')).toBe(-1);
    expect(() => upos.label(17)).toThrow(expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }));
  });

  it('createLabelInventory(name, labels) rejects duplicates', () => {
    expect(() => createLabelInventory('x', ['a', 'b', 'a'])).toThrow(/must be unique, but 'a' repeats/);
  });
});
