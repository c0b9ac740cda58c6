/** Converts IEEE 754 half bits to a number. */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/**
 * Converts an array of float values to half bits, rounding to nearest even (numpy's
 * `astype(float16)`). Works on the float32 bit patterns with integer arithmetic, after
 * F. Giesen's `float_to_half_fast3_rtne`: subnormals are rounded by one float addition of a magic
 * constant, normals by adding a rounding bias to the bits.
 */
export function float32ToFloat16(values: ArrayLike<number>): Uint16Array {
  const n = values.length;
  const input = values instanceof Float32Array ? values : Float32Array.from(values);
  const bits = new Uint32Array(input.buffer, input.byteOffset, n);
  const out = new Uint16Array(n);
  const scratch = new Float32Array(1);
  const scratchBits = new Uint32Array(scratch.buffer);
  const f16max = (127 + 16) << 23;
  const infinity = 255 << 23;
  const denormMagic = (127 - 15 + (23 - 10) + 1) << 23;
  scratchBits[0] = denormMagic;
  const denormMagicFloat = scratch[0];
  for (let i = 0; i < n; i++) {
    let f = bits[i];
    const sign = (f >>> 16) & 0x8000;
    f &= 0x7fffffff;
    let o: number;
    if (f >= f16max) {
      o = f > infinity ? 0x7e00 : 0x7c00;
    } else if (f < 113 << 23) {
      scratchBits[0] = f;
      scratch[0] += denormMagicFloat;
      o = scratchBits[0] - denormMagic;
    } else {
      const odd = (f >>> 13) & 1;
      f = f + ((15 - 127) << 23) + 0xfff + odd;
      o = f >>> 13;
    }
    out[i] = o | sign;
  }
  return out;
}

/** Converts half bits to float32 values. */
export function float16ToFloat32(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i]);
  return out;
}
