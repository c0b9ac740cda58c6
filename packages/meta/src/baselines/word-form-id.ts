import { InvalidArgumentError } from '@xling/core';

// One encoder for every call: `encode` allocates only the output bytes.
const encoder = new TextEncoder();

/**
 * A stable 32-bit id of a word form (word type): the FNV-1a hash (32-bit, offset basis
 * 0x811c9dc5, prime 0x01000193) of the UTF-8 bytes of the NFC-normalised form, as a signed
 * 32-bit integer so that it round-trips through an `Int32Array` (`InstanceSet.wordIds`).
 * Ids depend only on the form, so they compare across sets, splits and languages; a composed
 * `é` (U+00E9) and a decomposed `e` + U+0301 get the same id. Forms are not case-folded.
 *
 * Different forms may collide: with V distinct forms the expected number of colliding pairs is
 * about V² / 2³³ (≈ 0.3 for a 50 000-type treebank vocabulary), negligible for the word-type
 * baselines and control tasks that use these ids.
 *
 * @see http://www.isthe.com/chongo/tech/comp/fnv/ (FNV-1a)
 * @throws XLING_INVALID_ARGUMENT when `form` is not a string
 * @example wordFormId('a') // -468965076 (0xe40c292c)
 */
export function wordFormId(form: string): number {
  if (typeof form !== 'string') {
    throw new InvalidArgumentError('form', 'wordFormId', `must be a string, but got ${typeof form}.`);
  }
  const bytes = encoder.encode(form.normalize('NFC'));
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
