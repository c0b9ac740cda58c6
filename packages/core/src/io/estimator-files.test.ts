import { mkdtemp, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { writeSafetensors } from '../store/safetensors.js';
import type { Tensor } from '../store/tensor.js';
import { type EstimatorFormat, loadEstimatorFiles, saveEstimatorFiles } from './estimator-files.js';

interface ToyConfig {
  kind: 'Toy';
  version: number;
  d: number;
  labels: number[];
  history: Array<{ epoch: number; loss: number | null }>;
  note?: string;
}

const config: ToyConfig = {
  kind: 'Toy',
  version: 2,
  d: 3,
  labels: [4, 7],
  history: [
    { epoch: 1, loss: 0.5 },
    { epoch: 2, loss: null },
  ],
};

// Values whose shortest decimal form is long: they must come back bit for bit.
const weights = Float64Array.from([0.1 + 0.2, Math.PI, -1e-310, 1 / 3, Number.MAX_VALUE, -0]);
const tensors: Record<string, Tensor> = {
  weights: { dtype: 'F64', shape: [2, 3], data: weights },
  counts: { dtype: 'I32', shape: [2], data: Int32Array.from([5, 9]) },
};

const toy: EstimatorFormat<ToyConfig, { config: ToyConfig; tensors: Record<string, Tensor> }> = {
  kind: 'Toy',
  versions: [1, 2],
  fields: [
    { name: 'd', type: 'integer' },
    { name: 'labels', type: 'integer[]' },
    {
      name: 'history',
      type: 'array',
      fields: [
        { name: 'epoch', type: 'integer' },
        { name: 'loss', type: 'number', nullable: true },
      ],
    },
    { name: 'note', type: 'string', optional: true },
  ],
  check: (c) => (c.labels.length === 2 ? undefined : `labels has ${c.labels.length} entries, not 2`),
  tensors: (c) => [
    { name: 'weights', dtype: 'F64', shape: [c.labels.length, c.d] },
    { name: 'counts', dtype: 'I32', shape: [c.labels.length] },
  ],
  restore: (c, t) => {
    if (c.note === 'invalid') throw new InvalidArgumentError('options.k', 'Toy', 'must be an integer.');
    return { config: c, tensors: t };
  },
};

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'xling-estimator-'));
  await saveEstimatorFiles(folder, config, tensors);
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

const configPath = () => join(folder, 'config.json');
const editConfig = async (edit: (json: Record<string, unknown>) => unknown) =>
  writeFile(configPath(), JSON.stringify(edit(JSON.parse(await readFile(configPath(), 'utf8')))));
const loading = () => expect(loadEstimatorFiles(folder, toy)).rejects;
const formatError = (file: string, ruleId: string, message: RegExp) =>
  expect.objectContaining({
    code: 'XLING_FILE_FORMAT',
    file: join(folder, file),
    ruleId,
    message: expect.stringMatching(message),
  });

describe('saveEstimatorFiles(folder, config, tensors) / loadEstimatorFiles(folder, format)', () => {
  it('round-trips the header and typed arrays exactly, leaving only the two files', async () => {
    const loaded = await loadEstimatorFiles(folder, toy);
    expect(loaded.config).toEqual(config);
    expect(loaded.tensors.weights.data).toBeInstanceOf(Float64Array);
    expect(Buffer.from((loaded.tensors.weights.data as Float64Array).buffer)).toEqual(
      Buffer.from(weights.buffer),
    );
    expect(Array.from(loaded.tensors.counts.data as Int32Array)).toEqual([5, 9]);
    expect((await readdir(folder)).sort()).toEqual(['config.json', 'model.safetensors']);
    // The numbers live in the safetensors file, not in the JSON header.
    expect(await readFile(configPath(), 'utf8')).not.toMatch(/3\.14159/);
  });

  it('loadEstimatorFiles(folder) throws XLING_FILE_FORMAT, not a SyntaxError, for a truncated config.json', async () => {
    const text = await readFile(configPath(), 'utf8');
    await writeFile(configPath(), text.slice(0, text.length >> 1));
    await loading().toThrow(
      formatError('config.json', 'json-syntax', /config\.json:0:0: is not valid JSON \(truncated\?\)/),
    );
    await writeFile(configPath(), '');
    await loading().toThrow(formatError('config.json', 'json-syntax', /not valid JSON/));
    await writeFile(configPath(), '[1, 2]');
    await loading().toThrow(
      formatError('config.json', 'estimator-config', /must hold an object, but holds an array of 2/),
    );
  });

  it('loadEstimatorFiles(folder) throws XLING_FILE_FORMAT naming a missing field or one of the wrong type', async () => {
    await editConfig(({ d: _d, ...rest }) => rest);
    await loading().toThrow(formatError('config.json', 'estimator-config', /field 'd' is missing/));
    await editConfig((json) => ({ ...json, d: '3' }));
    await loading().toThrow(
      formatError('config.json', 'estimator-config', /field 'd' must be of type integer, but is "3"/),
    );
    await editConfig((json) => ({ ...json, d: 3, labels: [4, 7.5] }));
    await loading().toThrow(/field 'labels' must be of type integer\[\], but is an array of 2/);
    await editConfig((json) => ({
      ...json,
      labels: [4, 7],
      history: [{ epoch: 1, loss: 0.5 }, { epoch: 2 }],
    }));
    await loading().toThrow(
      formatError('config.json', 'estimator-config', /field 'history\[1\]\.loss' is missing/),
    );
    await editConfig((json) => ({ ...json, history: [3] }));
    await loading().toThrow(/field 'history\[0\]' must be an object, but is 3/);
    await editConfig((json) => ({ ...json, history: [], note: null }));
    await loading().toThrow(/field 'note' must be of type string, but is null/);
  });

  it('loadEstimatorFiles(folder) throws XLING_FILE_FORMAT for another kind or version, or inconsistent fields', async () => {
    await editConfig((json) => ({ ...json, kind: 'LinearProbe' }));
    await loading().toThrow(
      formatError('config.json', 'estimator-config', /holds a "LinearProbe" \(field 'kind'\), not a 'Toy'/),
    );
    await editConfig((json) => ({ ...json, kind: 'Toy', version: 3 }));
    await loading().toThrow(/has version 3; this code reads Toy version 1 or 2/);
    await editConfig((json) => ({ ...json, version: 1, labels: [1, 2, 3] }));
    await loading().toThrow(formatError('config.json', 'estimator-config', /labels has 3 entries, not 2/));
  });

  it('loadEstimatorFiles(folder) throws XLING_FILE_FORMAT for a missing or truncated model.safetensors', async () => {
    const tensorsPath = join(folder, 'model.safetensors');
    await truncate(tensorsPath, 60);
    await loading().toThrow(formatError('model.safetensors', 'safetensors', /truncated/));
    await truncate(tensorsPath, 4);
    await loading().toThrow(formatError('model.safetensors', 'safetensors', /too short/));
    await rm(tensorsPath);
    await loading().toThrow(
      formatError('model.safetensors', 'estimator-files', /is missing beside its config\.json/),
    );
  });

  it('loadEstimatorFiles(folder) throws XLING_FILE_FORMAT for a missing tensor or one of the wrong dtype or shape', async () => {
    const tensorsPath = join(folder, 'model.safetensors');
    await writeSafetensors(tensorsPath, { weights: tensors.weights });
    await loading().toThrow(
      formatError('model.safetensors', 'estimator-tensors', /tensor 'counts' is missing/),
    );
    await writeSafetensors(tensorsPath, {
      ...tensors,
      counts: { dtype: 'F64', shape: [2], data: Float64Array.of(5, 9) },
    });
    await loading().toThrow(/tensor 'counts' has dtype F64, but must be I32/);
    await writeSafetensors(tensorsPath, {
      ...tensors,
      weights: { dtype: 'F64', shape: [3, 2], data: weights },
    });
    await loading().toThrow(/tensor 'weights' has shape \[3, 2\], but config\.json implies \[2, 3\]/);
  });

  it('loadEstimatorFiles(folder) turns an XLING_INVALID_ARGUMENT of restore into XLING_FILE_FORMAT', async () => {
    await editConfig((json) => ({ ...json, note: 'invalid' }));
    await loading().toThrow(
      formatError(
        'config.json',
        'estimator-config',
        /holds an invalid Toy: Argument 'options\.k' passed to 'Toy'/,
      ),
    );
  });

  it('loadEstimatorFiles(folder) throws XLING_FILE_SYSTEM for a missing folder and XLING_LIMIT_EXCEEDED over maxConfigBytes', async () => {
    await expect(loadEstimatorFiles(join(folder, 'nowhere'), toy)).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
    });
    await expect(loadEstimatorFiles(folder, toy, { maxConfigBytes: 10 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      message: expect.stringMatching(/maxConfigBytes = 10/),
    });
  });

  it('saveEstimatorFiles(folder) throws XLING_FILE_SYSTEM where a file blocks the folder', async () => {
    await expect(saveEstimatorFiles(join(configPath(), 'sub'), config, tensors)).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
    });
  });
});
