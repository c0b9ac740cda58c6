import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildOnnxFromCheckpoint } from '../build/build-onnx-from-checkpoint.js';
import { HiddenStateModel } from '../hidden-state-model.js';
import { FIXTURES, copyModel } from '../test-helpers.js';
import { readModelFolder } from './read-model-folder.js';

/** Each hostile case must end well within this (a hang would run into it). */
const TIMEOUT = 5000;

/** Whether this system can make named pipes (no mkfifo on Windows). */
function canMakeFifo(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'xling-fifo-'));
  try {
    execFileSync('mkfifo', [join(dir, 'probe')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HAS_FIFO = canMakeFifo();
const HAS_DEV_ZERO = existsSync('/dev/zero');
const KINDS = [
  { kind: 'a FIFO', available: HAS_FIFO },
  { kind: 'a symlink to /dev/zero', available: HAS_DEV_ZERO },
];

const folders: string[] = [];
afterAll(async () => {
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

/** Replaces `dir/name` with a named pipe or a symlink to /dev/zero. */
async function plant(dir: string, name: string, kind: string): Promise<void> {
  const path = join(dir, name);
  await rm(path, { force: true });
  if (kind === 'a FIFO') execFileSync('mkfifo', [path]);
  else await symlink('/dev/zero', path);
}

async function onnxFolder(): Promise<string> {
  const dir = await copyModel('tiny-bert');
  folders.push(join(dir, '..'));
  return dir;
}

async function checkpointFolder(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'xling-hostile-'));
  folders.push(root);
  const dir = join(root, 'bert');
  await cp(join(FIXTURES, 'build', 'bert'), dir, { recursive: true });
  return dir;
}

const notRegular = (name: string) => ({
  code: 'XLING_MODEL_FOLDER',
  message: expect.stringMatching(new RegExp(`${name.replace('.', '\\.')} is not a regular file`)),
});

describe('a model folder with a named pipe or a device in place of a file', () => {
  for (const { kind, available } of KINDS) {
    for (const name of ['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx']) {
      it.skipIf(!available)(
        `HiddenStateModel.load throws XLING_MODEL_FOLDER when ${name} is ${kind}`,
        async () => {
          const dir = await onnxFolder();
          await plant(dir, name, kind);
          await expect(HiddenStateModel.load(dir)).rejects.toMatchObject(notRegular(name));
        },
        TIMEOUT,
      );
    }

    for (const name of ['model.safetensors', 'config.json', 'tokenizer.json', 'tokenizer_config.json']) {
      it.skipIf(!available)(
        `buildOnnxFromCheckpoint and readModelFolder throw XLING_MODEL_FOLDER when ${name} is ${kind}`,
        async () => {
          const dir = await checkpointFolder();
          await plant(dir, name, kind);
          await expect(buildOnnxFromCheckpoint(dir, join(dir, 'out'))).rejects.toMatchObject(
            notRegular(name),
          );
          await expect(readModelFolder(dir)).rejects.toMatchObject(notRegular(name));
          expect(existsSync(join(dir, 'out', 'onnx', 'model.onnx'))).toBe(false);
        },
        TIMEOUT,
      );
    }
  }

  it.skipIf(!HAS_FIFO)(
    'HiddenStateModel.load throws XLING_MODEL_FOLDER when the external data file is a FIFO',
    async () => {
      const dir = await checkpointFolder();
      const built = await buildOnnxFromCheckpoint(dir, dir, { externalData: 'always' });
      await plant(dir, join('onnx', 'model.onnx_data'), 'a FIFO');
      expect(built.externalDataPath).toBe(join(dir, 'onnx', 'model.onnx_data'));
      await expect(HiddenStateModel.load(dir)).rejects.toMatchObject(notRegular('model.onnx_data'));
    },
    TIMEOUT,
  );
});

describe('byte limits of the JSON files of a model folder', () => {
  it('readModelFolder throws XLING_LIMIT_EXCEEDED naming config.json and maxConfigBytes', async () => {
    const dir = await onnxFolder();
    await expect(readModelFolder(dir, { maxConfigBytes: 64 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'maxConfigBytes',
      maximum: 64,
      message: expect.stringMatching(/config\.json: the file has \d+ bytes \(limit maxConfigBytes = 64\)/),
    });
  });

  it('readModelFolder and HiddenStateModel.load throw XLING_LIMIT_EXCEEDED for tokenizer.json over maxJsonBytes', async () => {
    const dir = await onnxFolder();
    await writeFile(join(dir, 'tokenizer_config.json'), '{}');
    await expect(readModelFolder(dir, { maxJsonBytes: 1000 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'maxJsonBytes',
      file: join(dir, 'tokenizer.json'),
    });
    await expect(HiddenStateModel.load(dir, { maxJsonBytes: 1000 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
    });
  });

  it('buildOnnxFromCheckpoint throws XLING_LIMIT_EXCEEDED before reading an oversized config.json', async () => {
    const dir = await checkpointFolder();
    await expect(
      buildOnnxFromCheckpoint(dir, join(dir, 'out'), { maxConfigBytes: 32 }),
    ).rejects.toMatchObject({ code: 'XLING_LIMIT_EXCEEDED', limit: 'maxConfigBytes' });
    await expect(buildOnnxFromCheckpoint(dir, join(dir, 'out'), { maxJsonBytes: 32 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      limit: 'maxJsonBytes',
    });
  });

  it('rejects a limit that is not a positive integer as XLING_INVALID_ARGUMENT', async () => {
    await expect(readModelFolder('x', { maxJsonBytes: 0 })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/options\.maxJsonBytes/),
    });
  });
});
