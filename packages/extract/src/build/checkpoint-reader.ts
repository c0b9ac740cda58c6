import { constants } from 'node:fs';
import { type FileHandle, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  FileFormatError,
  FileSystemError,
  ModelFolderError,
  type SafetensorsHeaderOptions,
  float16BitsToFloat32,
  readSafetensorsHeader,
} from '@xling/core';
import { readJsonFile } from '../model-folder/read-json-file.js';

/** Where one tensor of a safetensors checkpoint lives. */
export interface CheckpointTensorInfo {
  name: string;
  /** Safetensors dtype (`F32`, `F16`, `BF16`, `F64`, ...). */
  dtype: string;
  shape: number[];
  /** File name relative to the checkpoint folder. */
  file: string;
  /** Absolute byte offset of the data in `file`. */
  offset: number;
  byteLength: number;
}

const FLOAT_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2, F64: 8 };
const INDEX_FILE = 'model.safetensors.index.json';

/**
 * Lazy reader of a Hugging Face safetensors checkpoint (one `model.safetensors`, or shards listed
 * in `model.safetensors.index.json`). Only the headers are read up front, and validated fully by
 * `@xling/core`'s `readSafetensorsHeader`; each tensor is read from disk on demand and converted
 * to float32 (BF16 included, which most LLaMA-family checkpoints use), so a checkpoint larger
 * than memory can be converted tensor by tensor.
 */
export class CheckpointReader {
  private readonly handles = new Map<string, FileHandle>();

  private constructor(
    readonly folder: string,
    readonly files: readonly string[],
    private readonly tensors: ReadonlyMap<string, CheckpointTensorInfo>,
  ) {}

  /**
   * Opens the checkpoint in `folder`; `options.maxHeaderBytes` bounds each safetensors header.
   * @throws XLING_MODEL_FOLDER, XLING_FILE_FORMAT (naming the file and the tensor),
   *   XLING_LIMIT_EXCEEDED, XLING_FILE_NOT_REGULAR
   */
  static async open(folder: string, options: SafetensorsHeaderOptions = {}): Promise<CheckpointReader> {
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch (error) {
      throw new ModelFolderError(folder, 'cannot be read as a folder.', [], { cause: error });
    }
    let files: string[];
    if (entries.includes(INDEX_FILE)) {
      files = indexedFiles(folder, await readJsonFile(folder, INDEX_FILE, true));
      const missing = files.filter((file) => !entries.includes(file));
      if (missing.length > 0) {
        throw new ModelFolderError(
          folder,
          `${INDEX_FILE} lists shards that are not in the folder: ${missing.join(', ')}.`,
          missing,
        );
      }
    } else {
      files = entries.filter((name) => name.endsWith('.safetensors')).sort();
    }
    if (files.length === 0) {
      const hasPickle = entries.some((name) => name.endsWith('.bin') || name.endsWith('.pt'));
      throw new ModelFolderError(
        folder,
        `has no safetensors weights (model.safetensors or ${INDEX_FILE}).${
          hasPickle
            ? ' It holds PyTorch pickle weights (*.bin), which are not read: convert them to safetensors.'
            : ''
        }`,
        ['model.safetensors'],
      );
    }
    const tensors = new Map<string, CheckpointTensorInfo>();
    for (const file of files) {
      const header = await readSafetensorsHeader(join(folder, file), options);
      for (const { name, dtype, shape, offset, byteLength } of header.tensors) {
        tensors.set(name, { name, dtype, shape, file, offset, byteLength });
      }
    }
    return new CheckpointReader(folder, files, tensors);
  }

  /** Tensor names, sorted. */
  names(): string[] {
    return [...this.tensors.keys()].sort();
  }

  /**
   * The tensor's location and shape, or undefined when the checkpoint lacks it. Like
   * transformers' loader, a missing `*.weight`/`*.bias` falls back to the legacy TensorFlow-era
   * `*.gamma`/`*.beta` names that original BERT checkpoints still use for LayerNorm.
   */
  info(name: string): CheckpointTensorInfo | undefined {
    const found = this.tensors.get(name);
    if (found !== undefined) return found;
    if (name.endsWith('.weight')) return this.tensors.get(`${name.slice(0, -'.weight'.length)}.gamma`);
    if (name.endsWith('.bias')) return this.tensors.get(`${name.slice(0, -'.bias'.length)}.beta`);
    return undefined;
  }

  /** Reads one tensor as float32. @throws XLING_MODEL_FOLDER naming the tensor when it is missing. */
  async read(name: string): Promise<Float32Array> {
    const info = this.info(name);
    if (info === undefined) {
      throw new ModelFolderError(
        this.folder,
        `tensor '${name}' is missing from the checkpoint (${this.files.join(', ')}).`,
      );
    }
    if (!(info.dtype in FLOAT_BYTES)) {
      throw new FileFormatError({
        file: join(this.folder, info.file),
        line: 0,
        column: 0,
        ruleId: 'safetensors',
        reason: `tensor '${name}' has dtype '${info.dtype}'; weights must be F32, F16, BF16 or F64`,
      });
    }
    const path = join(this.folder, info.file);
    const bytes = new Uint8Array(info.byteLength);
    let bytesRead: number;
    try {
      let handle = this.handles.get(info.file);
      if (handle === undefined) {
        // Checked as a regular file when its header was read; O_NONBLOCK keeps a pipe swapped in
        // since then from hanging the read.
        handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
        this.handles.set(info.file, handle);
      }
      ({ bytesRead } = await handle.read(bytes, 0, info.byteLength, info.offset));
    } catch (error) {
      throw FileSystemError.from(error, 'read the checkpoint', path);
    }
    if (bytesRead !== info.byteLength) {
      throw new FileFormatError({
        file: path,
        line: 0,
        column: 0,
        ruleId: 'safetensors',
        reason: `tensor '${name}' ends past the end of the file (truncated since it was opened?)`,
      });
    }
    return toFloat32(bytes, info.dtype);
  }

  /** Closes the open shard files. */
  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(handles.map((handle) => handle.close()));
  }
}

/** The shard files an index's `weight_map` names, sorted. */
function indexedFiles(folder: string, index: Record<string, unknown> | undefined): string[] {
  const weightMap = index?.weight_map;
  const fail = (reason: string): never => {
    throw new FileFormatError({
      file: join(folder, INDEX_FILE),
      line: 0,
      column: 0,
      ruleId: 'safetensors-index',
      reason,
    });
  };
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    fail("has no 'weight_map' object");
  }
  const files = Object.values(weightMap as Record<string, unknown>);
  const bad = files.find((file) => typeof file !== 'string');
  if (bad !== undefined)
    fail(`'weight_map' must map tensor names to file names, but holds ${JSON.stringify(bad)}`);
  return [...new Set(files as string[])].sort();
}

function toFloat32(bytes: Uint8Array, dtype: string): Float32Array {
  switch (dtype) {
    case 'F32':
      return new Float32Array(bytes.buffer, 0, bytes.byteLength / 4);
    case 'F64':
      return Float32Array.from(new Float64Array(bytes.buffer, 0, bytes.byteLength / 8));
    case 'F16': {
      const bits = new Uint16Array(bytes.buffer, 0, bytes.byteLength / 2);
      const out = new Float32Array(bits.length);
      for (let i = 0; i < bits.length; i++) out[i] = float16BitsToFloat32(bits[i]);
      return out;
    }
    default: {
      // BF16 is the upper half of a float32: shift the bits into place.
      const bits = new Uint16Array(bytes.buffer, 0, bytes.byteLength / 2);
      const out = new Uint32Array(bits.length);
      for (let i = 0; i < bits.length; i++) out[i] = bits[i] << 16;
      return new Float32Array(out.buffer);
    }
  }
}
