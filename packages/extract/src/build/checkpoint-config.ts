import { ModelFolderError, ShapeMismatchError } from '@xling/core';
import { checkConfigInteger } from '../model-folder/config-limits.js';
import type { CheckpointReader } from './checkpoint-reader.js';

const FUNCTION_NAME = 'buildOnnxFromCheckpoint';

/**
 * Typed access to `config.json` fields with Hugging Face's defaults; a missing or ill-typed
 * field, or an integer beyond its {@link CONFIG_LIMITS} entry, is a {@link ModelFolderError}
 * naming the field.
 */
export class CheckpointConfig {
  constructor(
    readonly folder: string,
    readonly raw: Record<string, unknown>,
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  integer(key: string, fallback?: number): number {
    return checkConfigInteger(this.folder, key, this.has(key) ? this.raw[key] : fallback, 0);
  }

  positiveInteger(key: string, fallback?: number): number {
    return checkConfigInteger(this.folder, key, this.has(key) ? this.raw[key] : fallback, 1);
  }

  number(key: string, fallback?: number): number {
    const value = this.has(key) ? this.raw[key] : fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) this.fail(key, 'a finite number', value);
    return value as number;
  }

  string(key: string, fallback?: string): string {
    const value = this.has(key) ? this.raw[key] : fallback;
    if (typeof value !== 'string') this.fail(key, 'a string', value);
    return value as string;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.has(key) ? this.raw[key] : fallback;
    if (typeof value !== 'boolean') this.fail(key, 'true or false', value);
    return value as boolean;
  }

  /** Throws a ModelFolderError about an unsupported configuration. */
  unsupported(what: string): never {
    throw new ModelFolderError(this.folder, `config.json ${what}, which ${FUNCTION_NAME} does not support.`);
  }

  private fail(key: string, expected: string, value: unknown): never {
    throw new ModelFolderError(
      this.folder,
      `config.json field '${key}' must be ${expected}, but got ${value === undefined ? 'nothing' : JSON.stringify(value)}.`,
    );
  }
}

/**
 * Checks that the checkpoint holds `name` with exactly `shape`. `why` says where the expected
 * shape comes from (config fields), for the error message.
 *
 * @throws XLING_MODEL_FOLDER naming the tensor when it is missing.
 * @throws XLING_SHAPE_MISMATCH naming the tensor, the expected and the actual shape.
 */
export function expectTensor(
  reader: CheckpointReader,
  name: string,
  shape: readonly number[],
  why: string,
): void {
  const info = reader.info(name);
  if (info === undefined) {
    throw new ModelFolderError(
      reader.folder,
      `tensor '${name}' is missing from the checkpoint (${reader.files.join(', ')}).`,
    );
  }
  if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
    throw new ShapeMismatchError(
      name,
      FUNCTION_NAME,
      `shape [${shape.join(', ')}] (from config.json: ${why})`,
      `[${info.shape.join(', ')}] in ${info.file}`,
    );
  }
}

/**
 * Finds the prefix of the base model's tensor names (`''`, `'bert.'`, `'model.'`, ...) from a
 * tensor every checkpoint of the family has, e.g. `embeddings.word_embeddings.weight`.
 *
 * @throws XLING_MODEL_FOLDER naming the anchor tensor when no name ends with it.
 */
export function findPrefix(reader: CheckpointReader, anchor: string, examples: string): string {
  const prefixes = reader
    .names()
    .filter((name) => name === anchor || name.endsWith(`.${anchor}`))
    .map((name) => name.slice(0, name.length - anchor.length))
    .sort((a, b) => a.length - b.length);
  if (prefixes.length === 0) {
    throw new ModelFolderError(
      reader.folder,
      `tensor '${anchor}' (alone or under a prefix such as ${examples}) is missing from the checkpoint (${reader.files.join(', ')}).`,
    );
  }
  return prefixes[0];
}

/**
 * A layer's tensors in the supported families: `encoder.layer.<i>.` (BERT), `layers.<i>.`
 * (LLaMA), `h.<i>.` (GPT-2).
 */
const LAYER_TENSOR = /(?:^|\.)(?:layers?|h)\.(\d+)\./;

/**
 * Checks config.json's layer count (`num_hidden_layers`, or GPT-2's `n_layer`) against the layers
 * the checkpoint holds (the distinct `<i>` of its `layer.<i>.` / `layers.<i>.` / `h.<i>.` tensor
 * names) before a plan lists tensors layer by layer: a config claiming more layers than the
 * weights would otherwise plan for every one.
 *
 * @throws XLING_MODEL_FOLDER naming the field, its value and the layers present.
 */
export function checkLayerCount(config: CheckpointConfig, reader: CheckpointReader): void {
  const key = !config.has('num_hidden_layers') && config.has('n_layer') ? 'n_layer' : 'num_hidden_layers';
  const layers = config.positiveInteger(key);
  const present = new Set<number>();
  for (const name of reader.names()) {
    const match = LAYER_TENSOR.exec(name);
    if (match) present.add(Number(match[1]));
  }
  if (layers > present.size) {
    throw new ModelFolderError(
      reader.folder,
      `config.json has ${key} ${layers}, but the checkpoint (${reader.files.join(', ')}) holds the tensors of ${present.size} layer${present.size === 1 ? '' : 's'}: the config does not belong to these weights.`,
    );
  }
}
