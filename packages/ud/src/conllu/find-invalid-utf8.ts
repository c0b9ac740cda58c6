/**
 * Byte offsets (in `[from, to)`) where a malformed UTF-8 sequence starts, at most `limit` of
 * them; follows the Unicode table of well-formed byte sequences (no overlongs, no surrogates,
 * nothing above U+10FFFF). Only called once the fast native check (`isUtf8`) has failed.
 */
export function findInvalidUtf8(bytes: Uint8Array, from: number, to: number, limit = 1000): number[] {
  const bad: number[] = [];
  let i = from;
  while (i < to && bad.length < limit) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) need = 2;
    else if (b >= 0xf1 && b <= 0xf3) need = 3;
    else if (b === 0xe0) {
      need = 2;
      lo = 0xa0;
    } else if (b === 0xed) {
      need = 2;
      hi = 0x9f;
    } else if (b === 0xf0) {
      need = 3;
      lo = 0x90;
    } else if (b === 0xf4) {
      need = 3;
      hi = 0x8f;
    }
    let ok = need > 0 && i + need < to;
    if (ok) {
      const b1 = bytes[i + 1];
      ok = b1 >= lo && b1 <= hi;
      for (let k = 2; ok && k <= need; k++) ok = bytes[i + k] >= 0x80 && bytes[i + k] <= 0xbf;
    }
    if (ok) i += need + 1;
    else {
      bad.push(i);
      i++;
    }
  }
  return bad;
}
