import { describe, expect, it } from 'vitest';
import { FileFormatError } from '../errors/file-format-error.js';
import { MAX_SAFETENSORS_HEADER_BYTES, parseSafetensorsHeader } from './safetensors-header.js';

/** A safetensors file whose header is `header` (JSON-encoded unless a string) and `data` bytes. */
function file(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

const f32 = (shape: number[], begin: number, end: number) => ({
  dtype: 'F32',
  shape,
  data_offsets: [begin, end],
});

describe('parseSafetensorsHeader(bytes, file)', () => {
  it('returns tensors in data order with absolute offsets, and the metadata', () => {
    const header = {
      b: f32([2], 8, 16),
      a: f32([1, 2], 0, 8),
      e: f32([0, 3], 16, 16),
      __metadata__: { m: 'x' },
    };
    const bytes = file(header, 16);
    const dataOffset = bytes.length - 16;
    expect(parseSafetensorsHeader(bytes, 'ok.safetensors')).toEqual({
      tensors: [
        { name: 'a', dtype: 'F32', shape: [1, 2], offset: dataOffset, byteLength: 8 },
        { name: 'b', dtype: 'F32', shape: [2], offset: dataOffset + 8, byteLength: 8 },
        { name: 'e', dtype: 'F32', shape: [0, 3], offset: dataOffset + 16, byteLength: 0 },
      ],
      metadata: { m: 'x' },
      dataOffset,
    });
  });

  it('accepts BF16 and a null __metadata__, as the reference library does', () => {
    const header = { w: { dtype: 'BF16', shape: [2], data_offsets: [0, 4] }, __metadata__: null };
    expect(parseSafetensorsHeader(file(header, 4)).tensors[0]).toMatchObject({
      dtype: 'BF16',
      byteLength: 4,
    });
  });

  it.each([
    [
      'negative data_offsets',
      { w: f32([2], -8, 0) },
      8,
      /tensor 'w' has data_offsets \[-8,0\]; they must be two non-negative integers/,
    ],
    ['fractional data_offsets', { w: f32([2], 0, 7.5) }, 8, /tensor 'w' has data_offsets \[0,7\.5\]/],
    ['data_offsets with begin > end', { w: f32([0], 8, 0) }, 8, /tensor 'w' has data_offsets \[8,0\]/],
    [
      'three data_offsets',
      { w: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } },
      4,
      /tensor 'w' has data_offsets/,
    ],
    ['a header that is an array', '[]', 0, /header must be a JSON object, but got \[\]/],
    ['a header that is null', 'null', 0, /header must be a JSON object, but got null/],
    ['a header that is a number', '42', 0, /header must be a JSON object, but got 42/],
    [
      'a number entry',
      { w: 5 },
      0,
      /tensor 'w' must be an object with dtype, shape and data_offsets, but got 5/,
    ],
    ['a null entry', { w: null }, 0, /tensor 'w' must be an object/],
    [
      'a string shape',
      { w: { dtype: 'F32', shape: '2', data_offsets: [0, 8] } },
      8,
      /tensor 'w' has shape "2"; a shape is an array of non-negative integers/,
    ],
    ['a negative shape', { w: f32([-2], 0, 8) }, 8, /tensor 'w' has shape \[-2\]/],
    ['a fractional shape', { w: f32([1.5], 0, 8) }, 8, /tensor 'w' has shape \[1\.5\]/],
    [
      'an unknown dtype',
      { w: { dtype: 'F33', shape: [1], data_offsets: [0, 4] } },
      4,
      /tensor 'w' has dtype "F33", not one of BOOL, U8/,
    ],
    [
      'a prototype key as dtype',
      { w: { dtype: 'toString', shape: [1], data_offsets: [0, 4] } },
      4,
      /tensor 'w' has dtype "toString"/,
    ],
    ['a missing dtype', { w: { shape: [1], data_offsets: [0, 4] } }, 4, /tensor 'w' has dtype undefined/],
    [
      'overlapping tensors',
      { a: f32([2], 0, 8), b: f32([2], 4, 12) },
      12,
      /tensor 'b' \(data_offsets \[4, 12\]\) overlaps tensor 'a', which ends at 8/,
    ],
    [
      'a gap between tensors',
      { a: f32([1], 0, 4), b: f32([1], 8, 12) },
      12,
      /4 bytes between tensor 'a' \(ending at 4\) and tensor 'b' \(beginning at 8\) belong to no tensor/,
    ],
    ['a gap at the start', { a: f32([1], 4, 8) }, 8, /4 bytes between the start of the data section/],
    ['trailing data bytes', { a: f32([1], 0, 4) }, 8, /the last 4 of the 8 data bytes belong to no tensor/],
    [
      'offsets out of range',
      { a: f32([2], 0, 8) },
      4,
      /tensor 'a' ends past the end of the file: data_offsets end 8 > 4 data bytes/,
    ],
    [
      'a span of the wrong size',
      { a: f32([3], 0, 8) },
      8,
      /tensor 'a' spans 8 bytes but dtype F32 and shape \[3\] need 12/,
    ],
    [
      'a shape whose size overflows',
      { a: f32([2 ** 40, 2 ** 40, 2 ** 40], 0, 8) },
      8,
      /tensor 'a' spans 8 bytes but .* need more than 2\^53/,
    ],
    [
      'metadata that is not strings',
      { __metadata__: { n: 1 } },
      0,
      /__metadata__ must be an object of strings, but got \{"n":1\}/,
    ],
    ['metadata that is an array', { __metadata__: ['x'] }, 0, /__metadata__ must be an object of strings/],
    ['a header that is not JSON', '{"a":', 0, /header is not valid JSON/],
    ['a header that is not UTF-8', '\u00ff', 0, /header is not valid JSON/],
  ])('throws XLING_FILE_FORMAT for %s', (_, header, dataBytes, message) => {
    const bytes = typeof header === 'string' && header === '\u00ff' ? invalidUtf8() : file(header, dataBytes);
    let thrown: unknown;
    try {
      parseSafetensorsHeader(bytes, 'bad.safetensors');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FileFormatError);
    expect(thrown).toMatchObject({
      code: 'XLING_FILE_FORMAT',
      file: 'bad.safetensors',
      ruleId: 'safetensors',
    });
    expect((thrown as Error).message).toMatch(message);
  });

  it('throws XLING_FILE_FORMAT for a header length beyond the file (huge or truncated)', () => {
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(() => parseSafetensorsHeader(huge, 'huge')).toThrow(
      /huge:0:0: header length 9223372036854775808 exceeds the 8 bytes after the length prefix/,
    );
    const whole = file({ a: f32([2], 0, 8) }, 8);
    expect(() => parseSafetensorsHeader(whole.subarray(0, 20), 'cut')).toThrow(
      /header length \d+ exceeds the 12 bytes/,
    );
    expect(() => parseSafetensorsHeader(whole.subarray(0, whole.length - 1), 'cut')).toThrow(
      /tensor 'a' ends past the end of the file: data_offsets end 8 > 7 data bytes \(truncated\?\)/,
    );
    expect(() => parseSafetensorsHeader(new Uint8Array(5), 'tiny')).toThrow(/file has 5 bytes, too short/);
  });

  it('throws XLING_LIMIT_EXCEEDED for a header above maxHeaderBytes before parsing it', () => {
    expect(MAX_SAFETENSORS_HEADER_BYTES).toBe(100_000_000);
    const bytes = file({ a: f32([1], 0, 4) }, 4);
    expect(() => parseSafetensorsHeader(bytes, 'big', { maxHeaderBytes: 8 })).toThrow(
      expect.objectContaining({
        code: 'XLING_LIMIT_EXCEEDED',
        message: expect.stringMatching(
          /^big: the safetensors header holds \d+ bytes.*\(limit maxHeaderBytes = 8\)\.$/,
        ),
      }),
    );
  });
});

function invalidUtf8(): Uint8Array {
  const out = new Uint8Array(9);
  new DataView(out.buffer).setBigUint64(0, 1n, true);
  out[8] = 0xff;
  return out;
}
