import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describeFileKind,
  FileSystemError,
  ModelFolderError,
  type NotRegularFileError,
  ResourceLimitError,
  readBoundedFile,
  XlingError,
} from '@xling/core';

/**
 * Byte limits of the files xling reads whole from a model folder, checked with `stat` before a
 * byte is read so that a hostile folder fails fast instead of exhausting memory. Real files are
 * far smaller: a config.json holds a few KiB; the largest tokenizer.json files (262k-token
 * vocabularies) hold about 35 MiB and Gemma's tokenizer_config.json over 1 MiB of added tokens.
 * Raise them with the options of the same names.
 */
export const MODEL_FILE_LIMITS = {
  /** config.json. @defaultValue 1 MiB */
  maxConfigBytes: 2 ** 20,
  /**
   * tokenizer.json, tokenizer_config.json and the other JSON files of the folder
   * (`model.safetensors.index.json`, `special_tokens_map.json`, `generation_config.json`).
   * @defaultValue 64 MiB
   */
  maxJsonBytes: 2 ** 26,
} as const;

/** Byte limits of a model folder's files; see {@link MODEL_FILE_LIMITS}. */
export type ModelFileLimits = { [K in keyof typeof MODEL_FILE_LIMITS]: number };

/** Option constraints of the limits, for `checkOptions` tables. */
export const MODEL_FILE_LIMIT_CONSTRAINTS = {
  maxConfigBytes: { type: 'integer', min: 1, optional: true },
  maxJsonBytes: { type: 'integer', min: 1, optional: true },
} as const;

/** The byte limit that applies to `name` and the option that raises it. */
export function fileLimit(
  name: string,
  limits: Partial<ModelFileLimits> = {},
): [keyof ModelFileLimits, number] {
  const key = name === 'config.json' ? 'maxConfigBytes' : 'maxJsonBytes';
  return [key, limits[key] ?? MODEL_FILE_LIMITS[key]];
}

/**
 * Refuses anything but a regular file: reading a named pipe blocks until a writer comes and a
 * device such as /dev/zero never ends, so either would hang the command.
 */
function notRegular(folder: string, name: string, kind: string): ModelFolderError {
  return new ModelFolderError(
    folder,
    `${name} is not a regular file (it is ${kind}, after following symlinks); replace it with the file itself.`,
  );
}

function checkSize(
  folder: string,
  name: string,
  size: number,
  limits: Partial<ModelFileLimits> | undefined,
): void {
  const [limit, maximum] = fileLimit(name, limits);
  if (size > maximum) {
    throw new ResourceLimitError(
      join(folder, name),
      limit,
      maximum,
      `holds ${size} bytes, more than xling reads from a model folder's ${name === 'config.json' ? 'config.json' : 'JSON files'}; pass a larger '${limit}' if the file is genuine`,
    );
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Size of file `name` (a path relative to `folder`, symlinks followed), or undefined when it is
 * absent. With `limits`, also checks the size against the file's byte limit.
 *
 * @throws XLING_MODEL_FOLDER when it is a named pipe, a device, a folder or a socket.
 * @throws XLING_LIMIT_EXCEEDED when it is larger than its limit.
 * @throws XLING_FILE_SYSTEM when it cannot be examined (permissions, I/O error).
 */
export async function modelFileSize(
  folder: string,
  name: string,
  limits?: Partial<ModelFileLimits>,
): Promise<number | undefined> {
  let stats: Stats;
  try {
    stats = await stat(join(folder, name));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw FileSystemError.from(error, 'examine', join(folder, name));
  }
  if (!stats.isFile()) throw notRegular(folder, name, describeFileKind(stats));
  if (limits) checkSize(folder, name, stats.size, limits);
  return stats.size;
}

/**
 * Reads file `name` of `folder` whole, or returns undefined when it is absent. The file is
 * opened without blocking and checked on its open handle (core's `readBoundedFile`), so a named
 * pipe swapped in after a check cannot hang the read either.
 *
 * @throws XLING_MODEL_FOLDER when it is not a regular file.
 * @throws XLING_LIMIT_EXCEEDED when it is larger than its limit ({@link MODEL_FILE_LIMITS}).
 * @throws XLING_FILE_SYSTEM when it cannot be read.
 */
export async function readModelFile(
  folder: string,
  name: string,
  limits: Partial<ModelFileLimits> = {},
): Promise<Buffer | undefined> {
  const [limit, maximum] = fileLimit(name, limits);
  try {
    return await readBoundedFile(join(folder, name), maximum, limit);
  } catch (error) {
    if (error instanceof FileSystemError && isMissing(error.cause)) return undefined;
    if (XlingError.isInstance(error) && error.code === 'XLING_FILE_NOT_REGULAR') {
      throw notRegular(folder, name, (error as NotRegularFileError).kind);
    }
    throw error;
  }
}
