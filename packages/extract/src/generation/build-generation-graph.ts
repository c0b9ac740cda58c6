import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildOnnxFromCheckpoint } from '../build/build-onnx-from-checkpoint.js';
import { dtypeSuffix } from '../model-folder/dtype-suffix.js';
import type { ReadModelFolderOptions } from '../model-folder/read-model-folder.js';
import { GENERATION_MODEL_FILE_NAME } from './cache-names.js';

/**
 * Builds a decoder folder's graphs from its checkpoint when the generation graph is missing, as
 * {@link readModelFolder} does for the hidden-state graph: a folder that ships only
 * `model.safetensors` (the repository's `models/xling-mini-decoder`) becomes usable by
 * `GenerationModel.load` on first use. Only for fp32/fp16, the default subfolder and the default
 * file name; any other missing graph is left for `readModelFolder` to report.
 */
export async function buildGenerationGraphIfMissing(
  dir: string,
  options: Omit<ReadModelFolderOptions, 'buildFromCheckpoint'>,
): Promise<void> {
  const {
    subfolder = 'onnx',
    dtype = 'fp32',
    modelFileName = GENERATION_MODEL_FILE_NAME,
    ...limits
  } = options;
  if (typeof dir !== 'string' || dir === '') return;
  const root = resolve(dir);
  const fileName = `${GENERATION_MODEL_FILE_NAME}${dtypeSuffix(dtype)}.onnx`;
  const buildable =
    subfolder === 'onnx' &&
    modelFileName === GENERATION_MODEL_FILE_NAME &&
    (dtype === 'fp32' || dtype === 'fp16') &&
    ['model.safetensors', 'model.safetensors.index.json'].some((f) => existsSync(join(root, f)));
  if (!buildable || [join('onnx', fileName), fileName].some((f) => existsSync(join(root, f)))) return;
  await buildOnnxFromCheckpoint(root, root, { dtype, ...limits });
}
