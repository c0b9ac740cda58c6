import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../test-helpers.js';
import { buildOnnxFromCheckpoint } from './build-onnx-from-checkpoint.js';

const BERT = join(FIXTURES, 'build', 'bert');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-build-faults-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('buildOnnxFromCheckpoint(hfFolder, outDir) output faults', () => {
  it('throws XLING_FILE_SYSTEM naming the folder when outDir lies under a file', async () => {
    const file = join(work, 'a-file');
    await writeFile(file, 'x');
    await expect(buildOnnxFromCheckpoint(BERT, join(file, 'out'))).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      systemCode: 'ENOTDIR',
      path: join(file, 'out', 'onnx'),
      message: expect.stringMatching(
        /Cannot create the folder '.*a-file\/out\/onnx': a part of the path is a file/,
      ),
    });
  });

  it('throws XLING_FILE_SYSTEM naming model.onnx when a folder stands in its place, and leaves no temporary file', async () => {
    const out = join(work, 'clash');
    await mkdir(join(out, 'onnx', 'model.onnx', 'inside'), { recursive: true });
    await expect(buildOnnxFromCheckpoint(BERT, out)).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      path: join(out, 'onnx', 'model.onnx'),
    });
    expect((await readdir(join(out, 'onnx'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('throws XLING_FILE_SYSTEM when the external data file cannot be put in place', async () => {
    const out = join(work, 'clash-data');
    await mkdir(join(out, 'onnx', 'model.onnx_data', 'inside'), { recursive: true });
    await expect(buildOnnxFromCheckpoint(BERT, out, { externalData: 'always' })).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      path: join(out, 'onnx', 'model.onnx_data'),
    });
    expect((await readdir(join(out, 'onnx'))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
