import { type FileHandle, open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError, ModelFolderError, float16BitsToFloat32 } from '@xling/core';

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
 * in `model.safetensors.index.json`). Only the headers are read up front; each tensor is read from
 * disk on demand and converted to float32, so a checkpoint larger than memory can be converted
 * tensor by tensor. `@xling/core`'s `readSafetensors` loads whole files and has no BF16, which
 * most LLaMA-family checkpoints use; hence this reader.
 */
export class CheckpointReader {
  private readonly handles = new Map<string, FileHandle>();

  private constructor(
    readonly folder: string,
    readonly files: readonly string[],
    private readonly tensors: ReadonlyMap<string, CheckpointTensorInfo>,
  ) {}

  /** Opens the checkpoint in `folder`. @throws XLING_MODEL_FOLDER, XLING_FILE_FORMAT */
  static async open(folder: string): Promise<CheckpointReader> {
    let entries: string[];
    try {
      entries = await readdir(folder);
    } catch (error) {
      throw new ModelFolderError(folder, 'cannot be read as a folder.', [], { cause: error });
    }
    let files: string[];
    if (entries.includes(INDEX_FILE)) {
      const indexPath = join(folder, INDEX_FILE);
      let index: { weight_map?: Record<string, string> };
      try {
        index = JSON.parse(await readFile(indexPath, 'utf8'));
      } catch (error) {
        throw new FileFormatError({
          file: indexPath,
          line: 0,
          column: 0,
          ruleId: 'safetensors-index',
          reason: `is not valid JSON: ${(error as Error).message}`,
        });
      }
      if (typeof index.weight_map !== 'object' || index.weight_map === null) {
        throw new FileFormatError({
          file: indexPath,
          line: 0,
          column: 0,
          ruleId: 'safetensors-index',
          reason: "has no 'weight_map' object",
        });
      }
      files = [...new Set(Object.values(index.weight_map))].sort();
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
      for (const info of await readHeader(folder, file)) tensors.set(info.name, info);
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
    let handle = this.handles.get(info.file);
    if (handle === undefined) {
      handle = await open(join(this.folder, info.file), 'r');
      this.handles.set(info.file, handle);
    }
    const bytes = new Uint8Array(info.byteLength);
    const { bytesRead } = await handle.read(bytes, 0, info.byteLength, info.offset);
    if (bytesRead !== info.byteLength) {
      throw new FileFormatError({
        file: join(this.folder, info.file),
        line: 0,
        column: 0,
        ruleId: 'safetensors',
        reason: `tensor '${name}' ends past the end of the file (truncated?)`,
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

async function readHeader(folder: string, file: string): Promise<CheckpointTensorInfo[]> {
  const path = join(folder, file);
  const fail = (reason: string): never => {
    throw new FileFormatError({ file: path, line: 0, column: 0, ruleId: 'safetensors', reason });
  };
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 8) fail(`file has ${size} bytes, too short for a safetensors header`);
    const lengthBytes = new Uint8Array(8);
    await handle.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(new DataView(lengthBytes.buffer).getBigUint64(0, true));
    if (headerLength > size - 8) fail(`header length ${headerLength} exceeds the file size ${size}`);
    const headerBytes = new Uint8Array(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
    try {
      header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
    } catch (error) {
      return fail(`header is not valid JSON: ${(error as Error).message}`);
    }
    const out: CheckpointTensorInfo[] = [];
    for (const [name, entry] of Object.entries(header)) {
      if (name === '__metadata__') continue;
      const [begin, end] = entry.data_offsets;
      const offset = 8 + headerLength + begin;
      if (offset + (end - begin) > size) fail(`tensor '${name}' ends past the end of the file (truncated?)`);
      const bytes = FLOAT_BYTES[entry.dtype];
      if (bytes !== undefined) {
        const count = entry.shape.reduce((a, b) => a * b, 1);
        if (count * bytes !== end - begin) {
          fail(`tensor '${name}' spans ${end - begin} bytes but its shape needs ${count * bytes}`);
        }
      }
      out.push({ name, dtype: entry.dtype, shape: entry.shape, file, offset, byteLength: end - begin });
    }
    return out;
  } finally {
    await handle.close();
  }
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
