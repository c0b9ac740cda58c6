import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HiddenStateModel } from '../hidden-state-model.js';
import { CONFIG_LIMITS } from '../model-folder/config-limits.js';
import { readModelFolder } from '../model-folder/read-model-folder.js';
import { FIXTURES } from '../test-helpers.js';
import { buildOnnxFromCheckpoint } from './build-onnx-from-checkpoint.js';
import { CheckpointConfig } from './checkpoint-config.js';

/** A config that would allocate without end must fail at once (a hang would run into this). */
const TIMEOUT = 5000;

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-config-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function editedFolder(source: string, as: string, changes: Record<string, unknown>): Promise<string> {
  const dir = join(work, as);
  await cp(source, dir, { recursive: true, filter: (path) => !path.includes('.hidden-states.onnx') });
  const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
  await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, ...changes }));
  return dir;
}

describe('CheckpointConfig integers', () => {
  const config = (raw: Record<string, unknown>) => new CheckpointConfig('/m', raw);

  it('accepts safe integers within CONFIG_LIMITS and applies fallbacks', () => {
    expect(config({ num_hidden_layers: 12 }).positiveInteger('num_hidden_layers')).toBe(12);
    expect(config({}).integer('pad_token_id', 1)).toBe(1);
    expect(config({ vocab_size: CONFIG_LIMITS.vocab_size }).positiveInteger('vocab_size')).toBe(2 ** 22);
  });

  it.each([
    ['num_hidden_layers', 1e9, /'num_hidden_layers' must be an integer from 1 to 1024, but got 1000000000/],
    ['hidden_size', 2.5, /'hidden_size' must be an integer from 1 to 65536, but got 2\.5/],
    ['vocab_size', -3, /'vocab_size' must be an integer from 1 to 4194304, but got -3/],
    ['intermediate_size', '64', /'intermediate_size' must be an integer from 1 to 1048576, but got "64"/],
    ['num_attention_heads', 0, /'num_attention_heads' must be an integer from 1 to 1024, but got 0/],
  ])('throws XLING_MODEL_FOLDER naming %s = %j', (key, value, message) => {
    expect(() => config({ [key]: value }).positiveInteger(key)).toThrow(
      expect.objectContaining({ code: 'XLING_MODEL_FOLDER', message: expect.stringMatching(message) }),
    );
  });

  it('bounds unlisted integers by Number.MAX_SAFE_INTEGER', () => {
    expect(() => config({ pad_token_id: 2 ** 60 }).integer('pad_token_id')).toThrow(
      /'pad_token_id' must be an integer from 0 to 9007199254740991/,
    );
  });
});

describe('config.json sizes against the checkpoint', () => {
  it(
    'buildOnnxFromCheckpoint throws XLING_MODEL_FOLDER at once for num_hidden_layers 1e9',
    async () => {
      const dir = await editedFolder(join(FIXTURES, 'build', 'llama'), 'huge', { num_hidden_layers: 1e9 });
      await expect(buildOnnxFromCheckpoint(dir, join(dir, 'out'))).rejects.toMatchObject({
        code: 'XLING_MODEL_FOLDER',
        message: expect.stringMatching(/'num_hidden_layers'.*1000000000/),
      });
      await expect(readModelFolder(dir)).rejects.toMatchObject({ code: 'XLING_MODEL_FOLDER' });
    },
    TIMEOUT,
  );

  it('buildOnnxFromCheckpoint throws XLING_MODEL_FOLDER when config.json claims more layers than the checkpoint holds', async () => {
    for (const name of ['bert', 'llama']) {
      const dir = await editedFolder(join(FIXTURES, 'build', name), `more-${name}`, {
        num_hidden_layers: 1000,
      });
      await expect(buildOnnxFromCheckpoint(dir, join(dir, 'out'))).rejects.toMatchObject({
        code: 'XLING_MODEL_FOLDER',
        message: expect.stringMatching(
          /config\.json has num_hidden_layers 1000, but the checkpoint \(.*safetensors.*\) holds the tensors of 2 layers/,
        ),
      });
    }
  });

  it(
    'readModelFolder and HiddenStateModel.load throw XLING_MODEL_FOLDER for an ONNX folder whose config says 1e9 layers',
    async () => {
      const dir = await editedFolder(join(FIXTURES, 'models', 'tiny-bert'), 'onnx-huge', {
        num_hidden_layers: 1e9,
      });
      const refused = { code: 'XLING_MODEL_FOLDER', message: expect.stringMatching(/num_hidden_layers/) };
      await expect(readModelFolder(dir)).rejects.toMatchObject(refused);
      await expect(HiddenStateModel.load(dir)).rejects.toMatchObject(refused);
    },
    TIMEOUT,
  );

  it('HiddenStateModel.load names the graph outputs when config.json asks for more layers than a built graph has', async () => {
    const dir = join(work, 'built');
    await buildOnnxFromCheckpoint(join(FIXTURES, 'build', 'bert'), dir);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 4 }));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(
        /cannot find the layers of model\.onnx: config\.json has num_hidden_layers 4 \(layers 0\.\.4\), but the graph outputs the hidden states of 3 layers \(0\.\.2\)/,
      ),
    });
  });

  it('readModelFolder throws XLING_MODEL_FOLDER naming hidden_size when it is not a positive integer', async () => {
    const dir = await editedFolder(join(FIXTURES, 'models', 'tiny-bert'), 'bad-hidden', {
      hidden_size: '32',
    });
    await expect(readModelFolder(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/'hidden_size' must be an integer from 1 to 65536, but got "32"/),
    });
  });
});
