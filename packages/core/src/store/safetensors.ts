import { FileFormatError } from '../errors/file-format-error.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import { openRegularFile, readBytesAt } from '../io/regular-file.js';
import {
  type SafetensorsHeader,
  type SafetensorsHeaderOptions,
  checkSafetensorsHeaderLength,
  parseSafetensorsHeader,
  parseSafetensorsHeaderJson,
} from './safetensors-header.js';
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
 * @throws XLING_INVALID_ARGUMENT when a tensor's data length does not match its shape, or a
 *   tensor is named `__metadata__`.
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const names = Object.keys(tensors).sort();
  // No prototype: a tensor named '__proto__' must become a key, not replace the prototype.
  const header: Record<string, unknown> = Object.create(null);
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    if (name === '__metadata__') {
      throw new InvalidArgumentError(
        'tensors',
        'encodeSafetensors',
        "must not hold a tensor named '__metadata__' (the header's metadata key).",
      );
    }
    if (!Object.hasOwn(DTYPE_BYTES, t.dtype)) {
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
 * Decodes safetensors bytes after validating the header fully (see
 * {@link parseSafetensorsHeaderJson}). `file` only labels errors.
 *
 * @throws XLING_FILE_FORMAT naming the file and the tensor for malformed, truncated or
 *   inconsistent input, or a dtype without a {@link Tensor} type (e.g. `BF16`).
 * @throws XLING_LIMIT_EXCEEDED when the header is larger than `maxHeaderBytes`.
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  file = '<buffer>',
  options: SafetensorsHeaderOptions = {},
): Safetensors {
  const header = parseSafetensorsHeader(bytes, file, options);
  const tensors = header.tensors.map(({ name, dtype, shape, offset, byteLength }) => {
    if (!Object.hasOwn(CONSTRUCTORS, dtype)) {
      throw new FileFormatError({
        file,
        line: 0,
        column: 0,
        ruleId: 'safetensors',
        reason: `tensor '${name}' has dtype '${dtype}', which decodeSafetensors does not read (${Object.keys(CONSTRUCTORS).join(', ')})`,
      });
    }
    const Ctor = CONSTRUCTORS[dtype as TensorDtype];
    // Copy so the result is aligned and independent of the input buffer.
    // (Buffer#slice would return a view into Node's shared pool, hence the explicit copy.)
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    const data = new Ctor(copy.buffer, 0, byteLength / DTYPE_BYTES[dtype as TensorDtype]);
    return [name, { dtype, shape, data } as Tensor] as const;
  });
  // fromEntries defines own properties, so a tensor named '__proto__' stays a tensor.
  return { tensors: Object.fromEntries(tensors), metadata: header.metadata };
}

/**
 * Reads a safetensors file whole.
 * @throws XLING_FILE_FORMAT for a malformed file (see {@link decodeSafetensors}).
 * @throws XLING_FILE_NOT_REGULAR for a folder, FIFO or device; XLING_FILE_SYSTEM when the file
 *   cannot be read.
 */
export async function readSafetensors(
  path: string,
  options: SafetensorsHeaderOptions = {},
): Promise<Safetensors> {
  const { handle, size } = await openRegularFile(path);
  try {
    return decodeSafetensors(await readBytesAt(handle, 0, size, path, 'safetensors'), path, options);
  } finally {
    await handle.close();
  }
}

/**
 * Reads and validates only the header of a safetensors file (its length is checked before the
 * header is read), so a checkpoint larger than memory can then be read tensor by tensor at the
 * returned offsets.
 *
 * @throws XLING_FILE_FORMAT naming the file and the tensor for a malformed header.
 * @throws XLING_LIMIT_EXCEEDED when the header is larger than `maxHeaderBytes`.
 * @throws XLING_FILE_NOT_REGULAR for a folder, FIFO or device; XLING_FILE_SYSTEM when the file
 *   cannot be read.
 */
export async function readSafetensorsHeader(
  path: string,
  options: SafetensorsHeaderOptions = {},
): Promise<SafetensorsHeader> {
  const { handle, size } = await openRegularFile(path);
  try {
    const prefix = await readBytesAt(handle, 0, Math.min(8, size), path, 'safetensors');
    const length = checkSafetensorsHeaderLength(prefix, size, path, options);
    const json = await readBytesAt(handle, 8, length, path, 'safetensors');
    return parseSafetensorsHeaderJson(json, 8 + length, size, path);
  } finally {
    await handle.close();
  }
}

/** Writes a safetensors file atomically (temp file + rename). */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
