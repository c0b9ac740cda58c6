import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOnnxFromCheckpoint } from '../build/build-onnx-from-checkpoint.js';
import { FIXTURES, copyModel } from '../test-helpers.js';
import { dtypeSuffix } from './dtype-suffix.js';
import { readModelFolder } from './read-model-folder.js';

describe('readModelFolder(dir, options)', () => {
  it('reads the family, sizes and file paths of a Hugging Face layout', async () => {
    const dir = await copyModel('tiny-bert');
    const folder = await readModelFolder(dir);
    expect(folder).toMatchObject({ modelType: 'bert', numLayers: 3, hiddenSize: 32, maxLength: 40 });
    expect(folder.family.name).toBe('bert');
    expect(folder.onnxFile).toBe(join(dir, 'onnx', 'model.onnx'));
    const llama = await readModelFolder(await copyModel('tiny-llama'));
    expect(llama.family).toMatchObject({ name: 'llama', kind: 'decoder', defaultPooling: 'last' });
  });

  it('finds model.onnx at the top of the folder too', async () => {
    const dir = await copyModel('tiny-bert');
    const { rename } = await import('node:fs/promises');
    await rename(join(dir, 'onnx', 'model.onnx'), join(dir, 'model.onnx'));
    expect((await readModelFolder(dir)).onnxFile).toBe(join(dir, 'model.onnx'));
  });

  it('builds the graph of a folder that holds only a checkpoint, in place, once', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'xling-extract-')), 'bert');
    await cp(join(FIXTURES, 'build', 'bert'), dir, { recursive: true });
    await expect(readModelFolder(dir, { buildFromCheckpoint: false })).rejects.toThrow(
      /no ONNX graph for dtype 'fp32': looked for onnx\/model\.onnx and model\.onnx/,
    );
    const folder = await readModelFolder(dir);
    expect(folder.onnxFile).toBe(join(dir, 'onnx', 'model.onnx'));
    expect(folder.modelType).toBe('bert');
    const reference = await buildOnnxFromCheckpoint(dir, join(dir, '..', 'reference'));
    expect(await readFile(folder.onnxFile)).toEqual(await readFile(reference.modelPath));
    expect((await readModelFolder(dir)).onnxFile).toBe(folder.onnxFile);
  });

  it('dtypeSuffix(dtype) maps fp32, fp16 and q8 like transformers.js', () => {
    expect([dtypeSuffix('fp32'), dtypeSuffix('fp16'), dtypeSuffix('q8')]).toEqual([
      '',
      '_fp16',
      '_quantized',
    ]);
  });

  it('readModelFolder(dir, { dtype }) throws XLING_MODEL_FOLDER naming onnx/model_fp16.onnx when missing', async () => {
    const dir = await copyModel('tiny-bert');
    await expect(readModelFolder(dir, { dtype: 'fp16' })).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/onnx\/model_fp16\.onnx/),
      missing: ['onnx/model_fp16.onnx'],
    });
  });

  it('readModelFolder(dir) throws XLING_MODEL_FOLDER for a folder that does not exist', async () => {
    await expect(readModelFolder('/nonexistent/xling-model')).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /does not exist/,
    });
  });

  it('readModelFolder(dir) throws XLING_MODEL_FOLDER naming a missing config.json or tokenizer.json', async () => {
    const dir = await copyModel('tiny-bert');
    await rm(join(dir, 'tokenizer.json'));
    await expect(readModelFolder(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      missing: ['tokenizer.json'],
      message: /tokenizer\.json is missing/,
    });
    await rm(join(dir, 'config.json'));
    await expect(readModelFolder(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      missing: ['config.json'],
      message: /config\.json is missing/,
    });
  });

  it('readModelFolder(dir) throws XLING_MODEL_FOLDER for a corrupt config.json or an unknown model_type', async () => {
    const dir = await copyModel('tiny-bert');
    await writeFile(join(dir, 'config.json'), '{"model_type": "bert",');
    await expect(readModelFolder(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /config\.json is not valid JSON/,
    });
    await writeFile(
      join(dir, 'config.json'),
      '{"model_type": "t5", "num_hidden_layers": 2, "hidden_size": 8}',
    );
    await expect(readModelFolder(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /model_type 't5'.*known: bert/,
    });
    await writeFile(join(dir, 'config.json'), '{"model_type": "bert"}');
    await expect(readModelFolder(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /num_hidden_layers/,
    });
  });

  it('readModelFolder(dir, options) throws XLING_INVALID_ARGUMENT for an unknown dtype', async () => {
    const dir = await copyModel('tiny-bert');
    await expect(readModelFolder(dir, { dtype: 'int4' as never })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: /options\.dtype/,
    });
  });
});
