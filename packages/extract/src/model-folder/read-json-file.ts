import { ModelFolderError } from '@xling/core';
import { type ModelFileLimits, readModelFile } from './model-file.js';

/**
 * Reads `name` (a JSON object) from model folder `dir`, refusing anything but a regular file
 * within its byte limit (see {@link MODEL_FILE_LIMITS}).
 *
 * @throws XLING_MODEL_FOLDER when it is missing (and `required`), not a regular file, or corrupt.
 * @throws XLING_LIMIT_EXCEEDED when it is larger than its limit.
 */
export async function readJsonFile(
  dir: string,
  name: string,
  required: boolean,
  limits: Partial<ModelFileLimits> = {},
): Promise<Record<string, unknown> | undefined> {
  const bytes = await readModelFile(dir, name, limits);
  if (bytes === undefined) {
    if (!required) return undefined;
    throw new ModelFolderError(dir, `${name} is missing.`, [name]);
  }
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new ModelFolderError(dir, `${name} is not valid JSON: ${(error as Error).message}`, [], {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ModelFolderError(dir, `${name} must hold a JSON object.`);
  }
  return value as Record<string, unknown>;
}
