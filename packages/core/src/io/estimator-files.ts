import { join } from 'node:path';
import { FileFormatError } from '../errors/file-format-error.js';
import { FileSystemError } from '../errors/file-system-error.js';
import { XlingError } from '../errors/xling-error.js';
import { encodeSafetensors, readSafetensors } from '../store/safetensors.js';
import type { Tensor, TensorDtype } from '../store/tensor.js';
import { readBoundedFile } from './read-bounded-file.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** File of a saved estimator's JSON header: kind, version, options, shapes, labels, history. */
export const ESTIMATOR_CONFIG_FILE = 'config.json';

/** File of a saved estimator's numbers, as typed arrays. */
export const ESTIMATOR_TENSORS_FILE = 'model.safetensors';

/** Largest `config.json` {@link loadEstimatorFiles} reads (16 MiB): headers hold no number arrays. */
export const MAX_ESTIMATOR_CONFIG_BYTES = 16 * 1024 * 1024;

/** JSON types a {@link ConfigField} can require; `integer` is a safe integer. */
export type ConfigFieldType =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'object'
  | 'array'
  | 'string[]'
  | 'number[]'
  | 'integer[]';

/** A field `config.json` must hold, checked before the estimator is restored. */
export interface ConfigField {
  /** Key in its object. */
  name: string;
  type: ConfigFieldType;
  /** The field may be absent (files written before it existed). @defaultValue false */
  optional?: boolean;
  /** The field may be `null`, which is how JSON writes NaN. @defaultValue false */
  nullable?: boolean;
  /** Fields of an `object`, or of every element of an `array` (elements must then be objects). */
  fields?: readonly ConfigField[];
}

/** A tensor `model.safetensors` must hold. */
export interface TensorSpec {
  name: string;
  dtype: TensorDtype;
  shape: readonly number[];
}

/** The header every saved estimator starts with. */
export interface EstimatorConfig {
  /** The estimator's class name, e.g. `LinearProbe`. */
  kind: string;
  /** Version of the estimator's format. */
  version: number;
}

/**
 * How one estimator class reads its folder: what `config.json` must hold, which tensors the
 * checked config implies, and how the two become an estimator.
 */
export interface EstimatorFormat<C extends EstimatorConfig, T> {
  /** The `kind` the header must declare. */
  kind: string;
  /** Versions of the format this code reads. */
  versions: readonly number[];
  /** Fields besides `kind` and `version`. */
  fields: readonly ConfigField[];
  /** Consistency between checked fields (e.g. two lengths): the problem, or undefined. */
  check?: (config: C) => string | undefined;
  /** Tensors the checked config implies, with their shapes; others in the file are ignored. */
  tensors: (config: C) => readonly TensorSpec[];
  /** Builds the estimator; an XLING_INVALID_ARGUMENT it throws becomes XLING_FILE_FORMAT. */
  restore: (config: C, tensors: Record<string, Tensor>) => T;
}

/** Options of {@link loadEstimatorFiles}. */
export interface LoadEstimatorFilesOptions {
  /** Largest `config.json` read, in bytes. @defaultValue {@link MAX_ESTIMATOR_CONFIG_BYTES} */
  maxConfigBytes?: number;
}

function formatError(file: string, ruleId: string, reason: string, cause?: unknown): FileFormatError {
  return new FileFormatError(
    { file, line: 0, column: 0, ruleId, reason },
    cause === undefined ? {} : { cause },
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ELEMENT_TYPE: Partial<Record<ConfigFieldType, ConfigFieldType>> = {
  'string[]': 'string',
  'number[]': 'number',
  'integer[]': 'integer',
};

function hasType(value: unknown, type: ConfigFieldType): boolean {
  const element = ELEMENT_TYPE[type];
  if (element !== undefined) return Array.isArray(value) && value.every((v) => hasType(v, element));
  switch (type) {
    case 'integer':
      return Number.isSafeInteger(value);
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** What a value is, for a message: short values shown, containers described. */
function received(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (isObject(value)) return 'an object';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function fieldProblem(holder: Record<string, unknown>, field: ConfigField, path: string): string | undefined {
  const at = path === '' ? field.name : `${path}.${field.name}`;
  const value = Object.hasOwn(holder, field.name) ? holder[field.name] : undefined;
  if (value === undefined) return field.optional ? undefined : `field '${at}' is missing`;
  if (value === null && field.nullable) return undefined;
  if (!hasType(value, field.type))
    return `field '${at}' must be of type ${field.type}, but is ${received(value)}`;
  if (field.fields === undefined) return undefined;
  const items: Array<[string, unknown]> =
    field.type === 'array' ? (value as unknown[]).map((v, i) => [`${at}[${i}]`, v]) : [[at, value]];
  for (const [itemPath, item] of items) {
    if (!isObject(item)) return `field '${itemPath}' must be an object, but is ${received(item)}`;
    const problem = fieldsProblem(item, field.fields, itemPath);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function fieldsProblem(
  holder: Record<string, unknown>,
  fields: readonly ConfigField[],
  path = '',
): string | undefined {
  for (const field of fields) {
    const problem = fieldProblem(holder, field, path);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function tensorProblem(tensors: Record<string, Tensor>, spec: TensorSpec): string | undefined {
  const tensor = Object.hasOwn(tensors, spec.name) ? tensors[spec.name] : undefined;
  if (tensor === undefined) return `tensor '${spec.name}' is missing`;
  if (tensor.dtype !== spec.dtype) {
    return `tensor '${spec.name}' has dtype ${tensor.dtype}, but must be ${spec.dtype}`;
  }
  if (tensor.shape.length !== spec.shape.length || tensor.shape.some((s, i) => s !== spec.shape[i])) {
    return `tensor '${spec.name}' has shape [${tensor.shape.join(', ')}], but ${ESTIMATOR_CONFIG_FILE} implies [${spec.shape.join(', ')}]`;
  }
  return undefined;
}

async function write(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (error) {
    throw FileSystemError.from(error, 'write', path);
  }
}

/**
 * Saves a fitted estimator into `folder` (created when missing): its typed arrays as
 * `model.safetensors`, written directly, then `config` as `config.json`. Each file is written
 * atomically, the header last, so a folder with a `config.json` holds both files.
 *
 * @throws XLING_INVALID_ARGUMENT for a tensor whose data does not fit its shape.
 * @throws XLING_FILE_SYSTEM when a file cannot be written (disk full, read-only folder, ...).
 * @example await saveEstimatorFiles(folder, { kind: 'LinearProbe', version: 2, d, k }, { weights })
 */
export async function saveEstimatorFiles(
  folder: string,
  config: EstimatorConfig,
  tensors: Record<string, Tensor>,
): Promise<void> {
  const bytes = encodeSafetensors(tensors);
  await write(join(folder, ESTIMATOR_TENSORS_FILE), bytes);
  await write(join(folder, ESTIMATOR_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`);
}

async function readConfig(path: string, maxBytes: number): Promise<Record<string, unknown>> {
  const bytes = await readBoundedFile(path, maxBytes, 'maxConfigBytes');
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw formatError(path, 'json-syntax', `is not valid JSON (truncated?): ${(error as Error).message}`);
  }
  if (!isObject(value))
    throw formatError(path, 'estimator-config', `must hold an object, but holds ${received(value)}`);
  return value;
}

async function readTensors(path: string): Promise<Record<string, Tensor>> {
  try {
    return (await readSafetensors(path)).tensors;
  } catch (error) {
    if (error instanceof FileSystemError && error.systemCode === 'ENOENT') {
      throw formatError(
        path,
        'estimator-files',
        `is missing beside its ${ESTIMATOR_CONFIG_FILE}: the folder is incomplete; save the estimator again`,
        error,
      );
    }
    throw error;
  }
}

/**
 * Loads what {@link saveEstimatorFiles} wrote into `folder` and checks it before anything is
 * restored: `config.json` must be a JSON object of `format.kind`, one of `format.versions`, with
 * every field of `format.fields` present and of its type; `model.safetensors` must be whole
 * and hold every tensor `format.tensors(config)` names, with its dtype and shape.
 *
 * @throws XLING_FILE_FORMAT naming the file and the problem: invalid or truncated JSON
 *   (`json-syntax`), another kind or version, a missing field or one of the wrong type
 *   (`estimator-config`), a missing `model.safetensors` (`estimator-files`), a damaged one
 *   (`safetensors`), a missing tensor or one of the wrong dtype or shape (`estimator-tensors`).
 * @throws XLING_FILE_SYSTEM when `config.json` cannot be read (e.g. `folder` does not exist).
 * @throws XLING_LIMIT_EXCEEDED when `config.json` is larger than `maxConfigBytes`.
 */
export async function loadEstimatorFiles<C extends EstimatorConfig, T>(
  folder: string,
  format: EstimatorFormat<C, T>,
  { maxConfigBytes = MAX_ESTIMATOR_CONFIG_BYTES }: LoadEstimatorFilesOptions = {},
): Promise<T> {
  const configPath = join(folder, ESTIMATOR_CONFIG_FILE);
  const tensorsPath = join(folder, ESTIMATOR_TENSORS_FILE);
  const raw = await readConfig(configPath, maxConfigBytes);
  const configProblem = (reason: string) => formatError(configPath, 'estimator-config', reason);
  if (raw.kind !== format.kind) {
    throw configProblem(`holds a ${received(raw.kind)} (field 'kind'), not a '${format.kind}'`);
  }
  if (!format.versions.includes(raw.version as number)) {
    throw configProblem(
      `has version ${received(raw.version)}; this code reads ${format.kind} version ${format.versions.join(' or ')}`,
    );
  }
  const problem = fieldsProblem(raw, format.fields);
  if (problem !== undefined) throw configProblem(problem);
  // The fields were checked against the format's declaration of C just above.
  const config = raw as unknown as C;
  const inconsistency = format.check?.(config);
  if (inconsistency !== undefined) throw configProblem(inconsistency);
  const tensors = await readTensors(tensorsPath);
  for (const spec of format.tensors(config)) {
    const tensorIssue = tensorProblem(tensors, spec);
    if (tensorIssue !== undefined) throw formatError(tensorsPath, 'estimator-tensors', tensorIssue);
  }
  try {
    return format.restore(config, tensors);
  } catch (error) {
    if (XlingError.isInstance(error) && error.code === 'XLING_INVALID_ARGUMENT') {
      throw formatError(
        configPath,
        'estimator-config',
        `holds an invalid ${format.kind}: ${error.message}`,
        error,
      );
    }
    throw error;
  }
}
