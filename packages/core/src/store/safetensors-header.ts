import { FileFormatError } from '../errors/file-format-error.js';
import { ResourceLimitError } from '../errors/resource-limit-error.js';

/**
 * Largest safetensors header (the JSON after the 8-byte length) that is parsed, in bytes: the
 * reference implementation's `MAX_HEADER_SIZE`. The length is checked before the header is read
 * or allocated; raise it with the `maxHeaderBytes` option.
 */
export const MAX_SAFETENSORS_HEADER_BYTES = 100_000_000;

/**
 * Bytes per element of every byte-sized dtype the reference safetensors library knows. Sub-byte
 * types (`F4`, `F6_*`) are refused: no model xling reads stores them.
 */
export const SAFETENSORS_DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  F8_E8M0: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  C64: 8,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** One tensor of a validated safetensors header. */
export interface SafetensorsTensorInfo {
  name: string;
  /** A key of {@link SAFETENSORS_DTYPE_BYTES}. */
  dtype: string;
  shape: number[];
  /** Byte offset of the tensor's data from the start of the file. */
  offset: number;
  byteLength: number;
}

/** A validated safetensors header: tensors in data order and the `__metadata__` strings. */
export interface SafetensorsHeader {
  tensors: SafetensorsTensorInfo[];
  metadata: Record<string, string>;
  /** Byte offset of the data section (8 + header length). */
  dataOffset: number;
}

/** Options of the safetensors header parsers. */
export interface SafetensorsHeaderOptions {
  /**
   * Largest header accepted, in bytes.
   * @defaultValue {@link MAX_SAFETENSORS_HEADER_BYTES}
   */
  maxHeaderBytes?: number;
}

type Fail = (reason: string) => never;

function failer(file: string): Fail {
  return (reason) => {
    throw new FileFormatError({ file, line: 0, column: 0, ruleId: 'safetensors', reason });
  };
}

/** A short JSON rendering of a hostile value for a message. */
function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSize(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Checks the 8-byte little-endian length prefix of a file of `fileSize` bytes (`prefix` holds
 * its first bytes) and returns the header length, before anything of that length is allocated.
 */
export function checkSafetensorsHeaderLength(
  prefix: Uint8Array,
  fileSize: number,
  file: string,
  { maxHeaderBytes = MAX_SAFETENSORS_HEADER_BYTES }: SafetensorsHeaderOptions = {},
): number {
  const fail: Fail = failer(file);
  if (fileSize < 8 || prefix.length < 8) {
    fail(`file has ${fileSize} bytes, too short for a safetensors header`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(fileSize - 8)) {
    fail(
      `header length ${length} exceeds the ${fileSize - 8} bytes after the length prefix (truncated file?)`,
    );
  }
  if (length > BigInt(maxHeaderBytes)) {
    throw new ResourceLimitError(
      file,
      'maxHeaderBytes',
      maxHeaderBytes,
      `the safetensors header holds ${length} bytes; pass a larger 'maxHeaderBytes' if the file is genuine`,
    );
  }
  return Number(length);
}

interface Span {
  name: string;
  begin: number;
  end: number;
}

type CheckedTensor = Span & Pick<SafetensorsTensorInfo, 'dtype' | 'shape'>;

function checkTensor(name: string, value: unknown, dataBytes: number, fail: Fail): CheckedTensor {
  if (!isObject(value)) {
    fail(`tensor '${name}' must be an object with dtype, shape and data_offsets, but got ${preview(value)}`);
  }
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPE_BYTES, dtype)) {
    fail(
      `tensor '${name}' has dtype ${preview(dtype)}, not one of ${Object.keys(SAFETENSORS_DTYPE_BYTES).join(', ')}`,
    );
  }
  if (!Array.isArray(shape) || !shape.every(isSize)) {
    fail(`tensor '${name}' has shape ${preview(shape)}; a shape is an array of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isSize) || offsets[0] > offsets[1]) {
    fail(
      `tensor '${name}' has data_offsets ${preview(offsets)}; they must be two non-negative integers [begin, end] with begin <= end`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end > dataBytes) {
    fail(
      `tensor '${name}' ends past the end of the file: data_offsets end ${end} > ${dataBytes} data bytes (truncated?)`,
    );
  }
  // Stop multiplying once past the safe integers, where the product would be inexact.
  let needed = shape.includes(0) ? 0 : SAFETENSORS_DTYPE_BYTES[dtype];
  for (const size of shape) if (needed <= Number.MAX_SAFE_INTEGER) needed *= size;
  if (end - begin !== needed) {
    fail(
      `tensor '${name}' spans ${end - begin} bytes but dtype ${dtype} and shape [${shape.join(', ')}] need ${Number.isSafeInteger(needed) ? needed : 'more than 2^53'}`,
    );
  }
  return { name, dtype, shape, begin, end };
}

/** The reference library's layout rule: tensors tile the data section without gap or overlap. */
function checkLayout(spans: Span[], dataBytes: number, fail: Fail): void {
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  let previous = 'the start of the data section';
  for (const { name, begin, end } of spans) {
    if (begin < at) {
      fail(`tensor '${name}' (data_offsets [${begin}, ${end}]) overlaps ${previous}, which ends at ${at}`);
    }
    if (begin > at) {
      fail(
        `${begin - at} bytes between ${previous} (ending at ${at}) and tensor '${name}' (beginning at ${begin}) belong to no tensor`,
      );
    }
    at = end;
    previous = `tensor '${name}'`;
  }
  if (at !== dataBytes) {
    fail(`the last ${dataBytes - at} of the ${dataBytes} data bytes belong to no tensor`);
  }
}

function checkMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    fail(`__metadata__ must be an object of strings, but got ${preview(value)}`);
  }
  return Object.fromEntries(Object.entries(value as Record<string, string>));
}

/**
 * Parses and validates the header JSON `json` of a file of `fileSize` bytes whose data section
 * starts at `dataOffset`, with every rule of the reference library: a JSON object; `__metadata__`
 * an object of strings; every other key a tensor with a known dtype, a shape of non-negative
 * integers and `data_offsets` `[begin, end]` whose span is exactly what dtype and shape need;
 * tensors contiguous, without overlap, covering the whole data section.
 */
export function parseSafetensorsHeaderJson(
  json: Uint8Array,
  dataOffset: number,
  fileSize: number,
  file: string,
): SafetensorsHeader {
  const fail: Fail = failer(file);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (error) {
    return fail(`header is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(header)) fail(`header must be a JSON object, but got ${preview(header)}`);
  const dataBytes = fileSize - dataOffset;
  const tensors: CheckedTensor[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name !== '__metadata__') tensors.push(checkTensor(name, value, dataBytes, fail));
  }
  checkLayout(tensors, dataBytes, fail);
  return {
    tensors: tensors.map(({ name, dtype, shape, begin, end }) => ({
      name,
      dtype,
      shape,
      offset: dataOffset + begin,
      byteLength: end - begin,
    })),
    metadata: checkMetadata(header.__metadata__, fail),
    dataOffset,
  };
}

/**
 * Parses and validates the header of the safetensors file held whole in `bytes` (see
 * {@link readSafetensorsHeader} for a file on disk). `file` only labels errors.
 *
 * @throws XLING_FILE_FORMAT naming the file and the tensor for any malformed header or layout.
 * @throws XLING_LIMIT_EXCEEDED when the header is larger than `maxHeaderBytes`.
 */
export function parseSafetensorsHeader(
  bytes: Uint8Array,
  file = '<buffer>',
  options: SafetensorsHeaderOptions = {},
): SafetensorsHeader {
  const length = checkSafetensorsHeaderLength(bytes, bytes.length, file, options);
  return parseSafetensorsHeaderJson(bytes.subarray(8, 8 + length), 8 + length, bytes.length, file);
}
