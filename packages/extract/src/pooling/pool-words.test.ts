import { describe, expect, it } from 'vitest';
import { poolWords } from './pool-words.js';

// 4 tokens × 2 dims: token t has vector [t, 10 t].
const hidden = Float32Array.from([0, 0, 1, 10, 2, 20, 3, 30]);
const spans: Array<[number, number]> = [
  [1, 3],
  [3, 4],
];

describe('poolWords(hidden, d, spans, pooling)', () => {
  it('poolWords(hidden, 2, spans, "first") takes each word\'s first piece', () => {
    expect(Array.from(poolWords(hidden, 2, spans, 'first'))).toEqual([1, 10, 3, 30]);
  });

  it('poolWords(hidden, 2, spans, "last") takes each word\'s last piece', () => {
    expect(Array.from(poolWords(hidden, 2, spans, 'last'))).toEqual([2, 20, 3, 30]);
  });

  it('poolWords(hidden, 2, spans, "mean") averages each word\'s pieces', () => {
    expect(Array.from(poolWords(hidden, 2, spans, 'mean'))).toEqual([1.5, 15, 3, 30]);
  });

  it('poolWords(hidden, d, spans, pooling, out, offset) writes at row offset', () => {
    const out = new Float32Array(6);
    poolWords(hidden, 2, [[0, 1]], 'first', out, 2);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    poolWords(hidden, 2, [[2, 3]], 'first', out, 2);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 2, 20]);
  });

  it('poolWords(hidden, d, spans, pooling) throws XLING_INVALID_ARGUMENT for an empty or out-of-range span', () => {
    expect(() => poolWords(hidden, 2, [[2, 2]], 'mean')).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
    expect(() => poolWords(hidden, 2, [[3, 5]], 'first')).toThrow(/span 0 is \[3, 5\)/);
  });
});
