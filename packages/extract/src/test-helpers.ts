import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeOnnxModel, readOnnxModel } from './onnx/read-onnx-model.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');

/**
 * Copy of a fixture model folder in `parent`, by default a fresh temp folder (tests edit copies,
 * never fixtures).
 */
export async function copyModel(name: 'tiny-bert' | 'tiny-llama', parent?: string): Promise<string> {
  const dir = parent ?? (await mkdtemp(join(tmpdir(), 'xling-extract-')));
  const target = join(dir, name);
  // Leave out derived graphs that anything run on the fixture folder itself may have saved.
  await cp(join(FIXTURES, 'models', name), target, {
    recursive: true,
    filter: (source) => !source.includes('.hidden-states.onnx'),
  });
  return target;
}

/**
 * Moves every initializer of 1 KiB or more of `<dir>/onnx/model.onnx` to `model.onnx_data`
 * beside it, as exports of large models do.
 */
export async function moveWeightsToExternalData(dir: string): Promise<void> {
  const file = join(dir, 'onnx', 'model.onnx');
  const model = await readOnnxModel(file);
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const t of model.graph.initializer as Array<Record<string, unknown>>) {
    const raw = t.rawData as Uint8Array;
    if (!raw || raw.length < 1024) continue;
    chunks.push(Buffer.from(raw));
    t.externalData = [
      { key: 'location', value: 'model.onnx_data' },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(raw.length) },
    ];
    t.dataLocation = 1;
    t.rawData = new Uint8Array(0);
    offset += raw.length;
  }
  await writeFile(join(dir, 'onnx', 'model.onnx_data'), Buffer.concat(chunks));
  await writeFile(file, encodeOnnxModel(model));
}
