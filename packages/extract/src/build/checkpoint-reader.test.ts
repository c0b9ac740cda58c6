import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckpointReader } from './checkpoint-reader.js';

/** Safetensors bytes written by hand (core's encoder has no BF16). */
function safetensors(
  tensors: Record<string, { dtype: string; shape: number[]; bytes: Uint8Array }>,
): Uint8Array {
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const t of Object.values(tensors)) {
    out.set(t.bytes, at);
    at += t.bytes.byteLength;
  }
  return out;
}

const bytes = (array: Float32Array | Float64Array | Uint16Array) => new Uint8Array(array.buffer);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-reader-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('CheckpointReader.open(folder)', () => {
  it('reads F32, F16, BF16 and F64 tensors as float32', async () => {
    const folder = join(work, 'dtypes');
    await mkdir(folder);
    await writeFile(
      join(folder, 'model.safetensors'),
      safetensors({
        f32: { dtype: 'F32', shape: [2], bytes: bytes(Float32Array.of(1.5, -2.25)) },
        // 1.5 = 0x3e00, -2.25 = 0xc080 in IEEE half
        f16: { dtype: 'F16', shape: [2], bytes: bytes(Uint16Array.of(0x3e00, 0xc080)) },
        // bfloat16 is the upper half of float32: 1.5 = 0x3fc0, -2.25 = 0xc010
        bf16: { dtype: 'BF16', shape: [1, 2], bytes: bytes(Uint16Array.of(0x3fc0, 0xc010)) },
        f64: { dtype: 'F64', shape: [2], bytes: bytes(Float64Array.of(1.5, -2.25)) },
      }),
    );
    const reader = await CheckpointReader.open(folder);
    try {
      expect(reader.names()).toEqual(['bf16', 'f16', 'f32', 'f64']);
      expect(reader.info('bf16')).toMatchObject({ dtype: 'BF16', shape: [1, 2], file: 'model.safetensors' });
      for (const name of reader.names()) expect([...(await reader.read(name))]).toEqual([1.5, -2.25]);
    } finally {
      await reader.close();
    }
  });

  it('throws XLING_FILE_FORMAT for a truncated file', async () => {
    const folder = join(work, 'truncated');
    await mkdir(folder);
    const full = safetensors({ w: { dtype: 'F32', shape: [4], bytes: bytes(new Float32Array(4)) } });
    await writeFile(join(folder, 'model.safetensors'), full.subarray(0, full.byteLength - 4));
    await expect(CheckpointReader.open(folder)).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      message: expect.stringMatching(/tensor 'w' ends past the end of the file/),
    });
  });

  it('throws XLING_MODEL_FOLDER for a folder with only PyTorch pickles', async () => {
    const folder = join(work, 'pickle');
    await mkdir(folder);
    await writeFile(join(folder, 'pytorch_model.bin'), 'not read');
    await expect(CheckpointReader.open(folder)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/no safetensors weights.*PyTorch pickle/),
      missing: ['model.safetensors'],
    });
  });

  it('throws XLING_FILE_FORMAT naming the tensor whose dtype is not a float', async () => {
    const folder = join(work, 'int');
    await mkdir(folder);
    await writeFile(
      join(folder, 'model.safetensors'),
      safetensors({ ids: { dtype: 'I32', shape: [1], bytes: new Uint8Array(4) } }),
    );
    const reader = await CheckpointReader.open(folder);
    await expect(reader.read('ids')).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      message: expect.stringMatching(/tensor 'ids' has dtype 'I32'/),
    });
    await reader.close();
  });

  /** A folder holding `model.safetensors` with header `header` (JSON text) and `dataBytes` bytes of data. */
  async function rawCheckpoint(name: string, header: string, dataBytes: number): Promise<string> {
    const folder = join(work, name);
    await mkdir(folder);
    const json = new TextEncoder().encode(header);
    const out = new Uint8Array(8 + json.byteLength + dataBytes);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
    out.set(json, 8);
    await writeFile(join(folder, 'model.safetensors'), out);
    return folder;
  }

  it.each([
    [
      'negative data_offsets',
      '{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}',
      8,
      /tensor 'w' has data_offsets \[-8,0\]/,
    ],
    [
      'fractional data_offsets',
      '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,7.5]}}',
      8,
      /tensor 'w' has data_offsets \[0,7\.5\]/,
    ],
    ['a header that is an array', '[]', 0, /header must be a JSON object, but got \[\]/],
    ['a header that is null', 'null', 0, /header must be a JSON object, but got null/],
    ['a number entry', '{"w":1}', 0, /tensor 'w' must be an object/],
    [
      'a string shape',
      '{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}',
      8,
      /tensor 'w' has shape "2"/,
    ],
    [
      'overlapping tensors',
      '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
      8,
      /tensor 'b' .* overlaps tensor 'a'/,
    ],
    [
      'a gap',
      '{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
      8,
      /4 bytes between the start of the data section/,
    ],
  ])(
    'throws XLING_FILE_FORMAT naming the file and tensor for %s',
    async (name, header, dataBytes, message) => {
      const folder = await rawCheckpoint(name.replace(/ /g, '-'), header, dataBytes);
      await expect(CheckpointReader.open(folder)).rejects.toMatchObject({
        code: 'XLING_FILE_FORMAT',
        file: join(folder, 'model.safetensors'),
        message: expect.stringMatching(message),
      });
    },
  );

  it('throws XLING_LIMIT_EXCEEDED for a header above maxHeaderBytes', async () => {
    const folder = await rawCheckpoint('limit', '{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
    await expect(CheckpointReader.open(folder, { maxHeaderBytes: 16 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      message: expect.stringMatching(/model\.safetensors: the safetensors header holds \d+ bytes/),
    });
  });

  it('throws XLING_FILE_NOT_REGULAR for a FIFO named model.safetensors instead of hanging', async () => {
    const folder = join(work, 'fifo');
    await mkdir(folder);
    execFileSync('mkfifo', [join(folder, 'model.safetensors')]);
    await expect(CheckpointReader.open(folder)).rejects.toMatchObject({ code: 'XLING_FILE_NOT_REGULAR' });
  });

  it("throws XLING_FILE_FORMAT for an index whose 'weight_map' holds a non-string", async () => {
    const folder = join(work, 'bad-index');
    await mkdir(folder);
    await writeFile(join(folder, 'model.safetensors.index.json'), '{"weight_map":{"w":5}}');
    await expect(CheckpointReader.open(folder)).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      message: expect.stringMatching(/'weight_map' must map tensor names to file names, but holds 5/),
    });
  });
});
