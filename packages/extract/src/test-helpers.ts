import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');

/** Copy of a fixture model folder in a fresh temp folder (tests edit copies, never fixtures). */
export async function copyModel(name: 'tiny-bert' | 'tiny-llama'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-extract-'));
  const target = join(dir, name);
  // Leave out derived graphs that anything run on the fixture folder itself may have saved.
  await cp(join(FIXTURES, 'models', name), target, {
    recursive: true,
    filter: (source) => !source.includes('.hidden-states.onnx'),
  });
  return target;
}
