import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose } from '../testing/expect-close.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  readSafetensorsHeader,
  writeSafetensors,
} from './safetensors.js';

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

describe('safetensors hostile input', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xling-st-hostile-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('readSafetensorsHeader(path) returns offsets into the file without reading the data', async () => {
    const path = join(dir, 'h.safetensors');
    const bytes = encodeSafetensors({
      a: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) },
      b: { dtype: 'I32', shape: [1], data: new Int32Array([3]) },
    });
    await writeFile(path, bytes);
    const header = await readSafetensorsHeader(path);
    expect(header.tensors.map((t) => [t.name, t.offset, t.byteLength])).toEqual([
      ['a', header.dataOffset, 8],
      ['b', header.dataOffset + 8, 4],
    ]);
    expect(header.dataOffset + 12).toBe(bytes.length);
    await expect(readSafetensorsHeader(path, { maxHeaderBytes: 8 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
    });
  });

  it('readSafetensors(path) and readSafetensorsHeader(path) refuse a FIFO or a device without hanging', async () => {
    const fifo = join(dir, 'fifo.safetensors');
    execFileSync('mkfifo', [fifo]);
    for (const path of [fifo, '/dev/zero', dir]) {
      await expect(readSafetensorsHeader(path)).rejects.toMatchObject({ code: 'XLING_FILE_NOT_REGULAR' });
      await expect(readSafetensors(path)).rejects.toThrow(/is not a regular file/);
    }
    await expect(readSafetensors(join(dir, 'absent'))).rejects.toMatchObject({ code: 'XLING_FILE_SYSTEM' });
  });

  it("decodeSafetensors(bytes) keeps a tensor named '__proto__' as an own key", () => {
    const header = '{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}';
    const bytes = new Uint8Array(8 + header.length + 1);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    bytes[bytes.length - 1] = 9;
    const { tensors } = decodeSafetensors(bytes);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
    const [tensor] = Object.values(tensors);
    expect(Array.from(tensor.data as Uint8Array)).toEqual([9]);
  });

  it('decodeSafetensors(bytes) throws XLING_FILE_FORMAT for a valid dtype it cannot hold (BF16)', () => {
    const header = JSON.stringify({ w: { dtype: 'BF16', shape: [1], data_offsets: [0, 2] } });
    const bytes = new Uint8Array(8 + header.length + 2);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
    bytes.set(new TextEncoder().encode(header), 8);
    expect(() => decodeSafetensors(bytes, 'bf16')).toThrow(
      /bf16:0:0: tensor 'w' has dtype 'BF16', which decodeSafetensors does not read/,
    );
  });

  it("encodeSafetensors(tensors) throws XLING_INVALID_ARGUMENT for '__metadata__' or a prototype-key dtype", () => {
    const data = new Float32Array(1);
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data } })).toThrow(
      /must not hold a tensor named '__metadata__'/,
    );
    expect(() => encodeSafetensors({ x: { dtype: 'toString' as 'F32', shape: [1], data } })).toThrow(
      /must be a safetensors dtype, but got 'toString'/,
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
