// Hostile model folders and checkpoints through `xling model layers`, `xling model build`:
// devices, FIFOs, absurd configs and lying safetensors headers end in coded errors, fast, in
// bounded memory, with nothing written outside the output folder.
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_FAILURE, errorCode, hostileVerdict, runHostile } from './run-hostile.js';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../extract/src/__fixtures__');
const CHECKPOINT = join(fixtures, 'build', 'bert');
const MODEL = join(fixtures, 'models', 'tiny-bert');

let sandbox: string;
let count = 0;
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'xling-hostile-model-'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

/** A fresh copy of `source` in the sandbox, changed by `spoil`; returns its sandbox-relative name. */
async function spoiled(source: string, spoil: (dir: string) => Promise<void>): Promise<string> {
  const name = `case-${++count}`;
  await cp(source, join(sandbox, name), { recursive: true });
  await spoil(join(sandbox, name));
  return name;
}

const fifo = (file: string) => async (dir: string) => {
  await rm(join(dir, file), { force: true });
  execFileSync('mkfifo', [join(dir, file)]);
};
const devZero = (file: string) => async (dir: string) => {
  await rm(join(dir, file), { force: true });
  await symlink('/dev/zero', join(dir, file));
};
const editJson = (file: string, edit: (json: Record<string, unknown>) => unknown) => async (dir: string) => {
  const json = JSON.parse(await readFile(join(dir, file), 'utf8'));
  await writeFile(join(dir, file), JSON.stringify(edit(json)));
};

type Header = Record<string, Record<string, unknown>>;

/** Rewrites model.safetensors' JSON header, keeping the data bytes. */
const editHeader = (edit: (header: Header) => unknown) => async (dir: string) => {
  const bytes = await readFile(join(dir, 'model.safetensors'));
  const length = Number(bytes.readBigUInt64LE(0));
  const header = JSON.parse(bytes.subarray(8, 8 + length).toString('utf8'));
  const text = Buffer.from(JSON.stringify(edit(header)));
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(text.length));
  await writeFile(join(dir, 'model.safetensors'), Buffer.concat([prefix, text, bytes.subarray(8 + length)]));
};
/** Sets `field` of the header's first tensor entry to `value`. */
const editTensor = (field: string, value: unknown) =>
  editHeader((header) => {
    const name = Object.keys(header).find((k) => k !== '__metadata__')!;
    header[name]![field] = value;
    return header;
  });

const LAYERS_CASES = [
  { name: 'config.json is a FIFO', spoil: fifo('config.json') },
  { name: 'config.json is /dev/zero', spoil: devZero('config.json') },
  { name: 'onnx/model.onnx is a FIFO', spoil: fifo('onnx/model.onnx') },
  { name: 'onnx/model.onnx is /dev/zero', spoil: devZero('onnx/model.onnx') },
  {
    name: 'num_hidden_layers is 1e9',
    spoil: editJson('config.json', (c) => ({ ...c, num_hidden_layers: 1e9 })),
  },
  { name: 'config.json is null', spoil: editJson('config.json', () => null) },
];

const BUILD_CASES = [
  { name: 'model.safetensors is a FIFO', spoil: fifo('model.safetensors') },
  { name: 'model.safetensors is /dev/zero', spoil: devZero('model.safetensors') },
  { name: 'config.json is a FIFO', spoil: fifo('config.json') },
  {
    name: 'num_hidden_layers is 1e9',
    spoil: editJson('config.json', (c) => ({ ...c, num_hidden_layers: 1e9 })),
  },
  {
    name: 'num_hidden_layers is more than the checkpoint holds',
    spoil: editJson('config.json', (c) => ({ ...c, num_hidden_layers: 3 })),
  },
  { name: 'hidden_size is a string', spoil: editJson('config.json', (c) => ({ ...c, hidden_size: '16' })) },
  { name: 'negative data_offsets', spoil: editTensor('data_offsets', [-8, 0]) },
  {
    name: 'fractional data_offsets',
    spoil: editTensor('data_offsets', [0.5, 64.5]),
  },
  {
    name: 'data_offsets past the end',
    spoil: editTensor('data_offsets', [0, 1e12]),
  },
  { name: 'a header that is an array', spoil: editHeader(() => [1, 2]) },
  { name: 'a header that is null', spoil: editHeader(() => null) },
  { name: 'a tensor entry that is a number', spoil: editHeader((h) => ({ ...h, 'x.weight': 5 })) },
  { name: 'a string shape', spoil: editTensor('shape', '16,16') },
  { name: 'an unknown dtype', spoil: editTensor('dtype', 'Q4') },
  {
    name: 'a header length beyond the file',
    spoil: async (dir: string) => {
      const bytes = await readFile(join(dir, 'model.safetensors'));
      bytes.writeBigUInt64LE(1n << 40n, 0);
      await writeFile(join(dir, 'model.safetensors'), bytes);
    },
  },
];

describe('hostile model folders (xling model layers)', () => {
  it.each(LAYERS_CASES)('$name', { timeout: 30_000 }, async ({ spoil }) => {
    const name = await spoiled(MODEL, spoil);
    const run = await runHostile(['model', 'layers', name], { sandbox });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
  });
});

describe('hostile checkpoints (xling model build)', () => {
  it.each(BUILD_CASES)('$name', { timeout: 30_000 }, async ({ spoil }) => {
    const name = await spoiled(CHECKPOINT, spoil);
    const run = await runHostile(['model', 'build', name, `${name}-out`], {
      sandbox,
      writable: [`${name}-out`],
    });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toMatch(/^XLING_(MODEL_FOLDER|FILE_FORMAT|FILE_NOT_REGULAR|LIMIT_EXCEEDED)$/);
  });
});
