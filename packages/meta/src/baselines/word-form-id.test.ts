import { describe, expect, it } from 'vitest';
import { wordFormId } from './word-form-id.js';

describe('wordFormId', () => {
  it('wordFormId(form) is the 32-bit FNV-1a hash of the UTF-8 bytes, as a signed integer', () => {
    // Reference values of the FNV-1a 32-bit test suite.
    expect(wordFormId('')).toBe(0x811c9dc5 | 0);
    expect(wordFormId('a')).toBe(0xe40c292c | 0);
    expect(wordFormId('foobar')).toBe(0xbf9cf968 | 0);
    expect(Int32Array.of(wordFormId('a'))[0]).toBe(wordFormId('a'));
  });

  it('wordFormId(form) hashes UTF-8 bytes, not UTF-16 code units', () => {
    // 'é' is C3 A9 in UTF-8.
    let h = 0x811c9dc5;
    for (const b of [0xc3, 0xa9]) h = Math.imul(h ^ b, 0x01000193);
    expect(wordFormId('\u00e9')).toBe(h | 0);
  });

  it('wordFormId(form) gives composed and decomposed forms the same id (NFC)', () => {
    expect(wordFormId('caf\u00e9')).toBe(wordFormId('cafe\u0301'));
    expect(wordFormId('\uac00')).toBe(wordFormId('\u1100\u1161'));
  });

  it('wordFormId(form) distinguishes case and different forms', () => {
    expect(wordFormId('The')).not.toBe(wordFormId('the'));
    const ids = new Set(['dog', 'dogs', 'god', 'Hund', 'chien', 'perro'].map(wordFormId));
    expect(ids.size).toBe(6);
  });

  it('wordFormId(form) throws XLING_INVALID_ARGUMENT for a non-string', () => {
    expect(() => wordFormId(3 as unknown as string)).toThrow(
      expect.objectContaining({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'form' passed to 'wordFormId' must be a string, but got number/),
      }),
    );
  });
});
