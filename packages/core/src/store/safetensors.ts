import { readFile } from 'node:fs/promises';
import { FileFormatError } from '../errors/file-format-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { DTYPE_BYTES, shapeSize, type Tensor, type TensorDtype } from './tensor.js';

/** Contents of a safetensors file: tensors by name plus string metadata. */
export interface Safetensors {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

const CONSTRUCTORS = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I16: Int16Array,
  I8: Int8Array,
  U8: Uint8Array,
  U16: Uint16Array,
  U32: Uint32Array,
  BOOL: Uint8Array,
} as const;

// Safetensors is little-endian; typed arrays use the platform order, so refuse big-endian hosts.
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('@xling/core safetensors support needs a little-endian platform.');
}

/**
 * Encodes tensors in the safetensors format (8-byte little-endian header length, JSON header,
 * then the data, tensors in name order, header padded with spaces to 8 bytes as the reference
 * writer does). The bytes load with Python's `safetensors.numpy.load_file`.
 *
 * @throws XLING_INVALID_ARGUMENT when a tensor's data length does not match its shape.
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (!(t.dtype in DTYPE_BYTES)) {
      throw new InvalidArgumentError(
        `tensors.${name}.dtype`,
        'encodeSafetensors',
        `must be a safetensors dtype, but got '${t.dtype}'.`,
      );
    }
    const n = shapeSize(t.shape);
    if (t.data.length !== n) {
      throw new InvalidArgumentError(
        `tensors.${name}`,
        'encodeSafetensors',
        `has shape [${t.shape.join(', ')}] (${n} elements) but ${t.data.length} data elements.`,
      );
    }
    const bytes = n * DTYPE_BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const headerBytes = new TextEncoder().encode(json);
  const padded = Math.ceil((8 + headerBytes.length) / 8) * 8 - 8;
  json += ' '.repeat(padded - headerBytes.length);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(new TextEncoder().encode(json), 8);
  let at = 8 + padded;
  for (const name of names) {
    const d = tensors[name].data;
    out.set(new Uint8Array(d.buffer, d.byteOffset, d.byteLength), at);
    at += d.byteLength;
  }
  return out;
}

/**
 * Decodes safetensors bytes. `file` only labels errors.
 * @throws XLING_FILE_FORMAT naming the file and the problem for truncated or inconsistent input.
 */
export function decodeSafetensors(bytes: Uint8Array, file = '<buffer>'): Safetensors {
  const fail = (reason: string): never => {
    throw new FileFormatError({ file, line: 0, column: 0, ruleId: 'safetensors', reason });
  };
  if (bytes.length < 8) fail(`file has ${bytes.length} bytes, too short for a safetensors header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (headerLength > bytes.length - 8)
    fail(`header length ${headerLength} exceeds the file size ${bytes.length}`);
  let header: Record<string, { dtype: TensorDtype; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)),
    );
  } catch (error) {
    return fail(`header is not valid JSON: ${(error as Error).message}`);
  }
  const dataStart = 8 + headerLength;
  const tensors: Record<string, Tensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = entry as unknown as Record<string, string>;
      continue;
    }
    const Ctor = CONSTRUCTORS[entry.dtype];
    if (!Ctor) fail(`tensor '${name}' has unsupported dtype '${entry.dtype}'`);
    const [begin, end] = entry.data_offsets;
    const expected = shapeSize(entry.shape) * DTYPE_BYTES[entry.dtype];
    if (end - begin !== expected)
      fail(`tensor '${name}' spans ${end - begin} bytes but its shape needs ${expected}`);
    if (dataStart + end > bytes.length) fail(`tensor '${name}' ends past the end of the file (truncated?)`);
    // Copy so the result is aligned and independent of the input buffer.
    // (Buffer#slice would return a view into Node's shared pool, hence the explicit copy.)
    const copy = new Uint8Array(expected);
    copy.set(bytes.subarray(dataStart + begin, dataStart + end));
    tensors[name] = {
      dtype: entry.dtype,
      shape: entry.shape,
      data: new Ctor(copy.buffer, 0, expected / DTYPE_BYTES[entry.dtype]),
    } as Tensor;
  }
  return { tensors, metadata };
}

/** Reads a safetensors file. @throws XLING_FILE_FORMAT for a malformed file. */
export async function readSafetensors(path: string): Promise<Safetensors> {
  return decodeSafetensors(await readFile(path), path);
}

/** Writes a safetensors file atomically (temp file + rename). */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
