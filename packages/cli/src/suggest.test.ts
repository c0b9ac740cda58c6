import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from './suggest.js';

describe('closest(word, candidates)', () => {
  it('finds typos, transpositions and prefixes, best first, and nothing for unrelated words', () => {
    expect(closest('rnu', ['run', 'demo', 'report'])).toEqual(['run']);
    expect(closest('ud stat', ['ud stats', 'ud validate'])).toEqual(['ud stats']);
    expect(closest('thread', ['threads', 'tasks'])).toEqual(['threads']);
    expect(closest('zzz', ['run', 'demo'])).toEqual([]);
    expect(didYouMean('ot', ['out', 'help'], '--')).toBe(" Did you mean '--out'?");
    expect(didYouMean('zzz', ['out'])).toBe('');
  });
});
