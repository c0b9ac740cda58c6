import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../testing/expect-close.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import { decodeSafetensors, encodeSafetensors, readSafetensors, writeSafetensors } from './safetensors.js';

const fixtures = join(import.meta.dirname, '..', '__fixtures__');
const golden = JSON.parse(readFileSync(join(fixtures, 'float16.json'), 'utf8'));

describe('safetensors', () => {
  it('readSafetensors(path) decodes a file written by numpy (scripts/golden/core)', async () => {
    const { tensors, metadata } = await readSafetensors(join(fixtures, 'numpy.safetensors'));
    expect(metadata.made_by).toMatch(/^numpy/);
    expect(tensors.a_f32.shape).toEqual([2, 3]);
    expectClose(tensors.a_f32.data as Float32Array, golden.tensors.a_f32, { rtol: 0 });
    expect(Array.from(tensors.b_i32.data as Int32Array)).toEqual([-1, 0, 7]);
    expectClose(float16ToFloat32(tensors.c_f16.data as Uint16Array), golden.tensors.c_f16, { rtol: 0 });
  });

  it('encodeSafetensors(tensors) gives the bytes numpy wrote for the same tensors', async () => {
    const reference = new Uint8Array(await readFile(join(fixtures, 'numpy.safetensors')));
    const { tensors, metadata } = decodeSafetensors(reference);
    const ours = encodeSafetensors(tensors, metadata);
    // Same data section; headers may differ only in JSON spacing, so compare decoded headers.
    const headerLength = (b: Uint8Array) =>
      Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
    expect(ours.subarray(8 + headerLength(ours))).toEqual(reference.subarray(8 + headerLength(reference)));
    expect((8 + headerLength(ours)) % 8).toBe(0);
  });

  it('writeSafetensors(path) round-trips every dtype and leaves no temp file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-st-'));
    const path = join(dir, 'x.safetensors');
    const tensors = {
      f64: { dtype: 'F64' as const, shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) },
      i64: { dtype: 'I64' as const, shape: [2], data: new BigInt64Array([-1n, 2n]) },
      u8: { dtype: 'U8' as const, shape: [3], data: new Uint8Array([1, 2, 255]) },
      scalar: { dtype: 'F32' as const, shape: [], data: new Float32Array([7]) },
    };
    await writeSafetensors(path, tensors, { note: 'x' });
    const back = await readSafetensors(path);
    expect(back.metadata).toEqual({ note: 'x' });
    expect(Array.from(back.tensors.f64.data as Float64Array)).toEqual([1, 2, 3, 4]);
    expect(Array.from(back.tensors.i64.data as BigInt64Array)).toEqual([-1n, 2n]);
    expect(back.tensors.scalar.shape).toEqual([]);
    expect(await readdir(dir)).toEqual(['x.safetensors']);
  });

  it('encodeSafetensors(tensors) throws XLING_INVALID_ARGUMENT when data does not fit the shape', () => {
    expect(() =>
      encodeSafetensors({ x: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }),
    ).toThrow(/has shape \[2, 2\] \(4 elements\) but 3 data elements/);
  });

  it('decodeSafetensors(bytes) throws XLING_FILE_FORMAT for truncated or garbage input', () => {
    const good = encodeSafetensors({ x: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(good.subarray(0, good.length - 2), 'cut.safetensors')).toThrow(
      /cut\.safetensors:0:0: tensor 'x' ends past the end of the file/,
    );
    expect(() => decodeSafetensors(new Uint8Array(4), 'tiny')).toThrow(/too short/);
    const garbage = new Uint8Array(16);
    new DataView(garbage.buffer).setBigUint64(0, 8n, true);
    expect(() => decodeSafetensors(garbage, 'g')).toThrow(
      expect.objectContaining({ code: 'XLING_FILE_FORMAT', ruleId: 'safetensors' }),
    );
  });
});

describe('float16', () => {
  it('float32ToFloat16(values) matches numpy astype(float16) bit for bit, incl. subnormals and rounding', () => {
    expect(Array.from(float32ToFloat16(golden.float32))).toEqual(golden.float16_bits);
  });

  it('float16ToFloat32(bits) inverts exactly representable values', () => {
    const values = [0, 1, -2, 0.5, 65504, 2 ** -24, 2 ** -14];
    expect(Array.from(float16ToFloat32(float32ToFloat16(values)))).toEqual(values);
    expect(float16ToFloat32(new Uint16Array([0x7e00]))[0]).toBeNaN();
  });
});
