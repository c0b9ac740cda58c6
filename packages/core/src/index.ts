// Errors
export { XlingError, type XlingErrorOptions } from './errors/xling-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { ShapeMismatchError } from './errors/shape-mismatch-error.js';
export { NotFittedError } from './errors/not-fitted-error.js';
export { FileFormatError, type FileFormatErrorInfo } from './errors/file-format-error.js';
export { ModelFolderError } from './errors/model-folder-error.js';
export { AbortError, throwIfAborted } from './errors/abort-error.js';
export { DownloadError } from './errors/download-error.js';
export { ChecksumMismatchError } from './errors/checksum-mismatch-error.js';
export { FileSystemError } from './errors/file-system-error.js';
export { ResourceLimitError } from './errors/resource-limit-error.js';
export { UnsafePathError } from './errors/unsafe-path-error.js';
export { NotRegularFileError, describeFileKind } from './errors/not-regular-file-error.js';

// Matrices
export {
  createMatrix,
  matrixRow,
  selectRows,
  toArray2d,
  transpose,
  type Matrix,
  type MatrixData,
} from './matrix/matrix.js';
export { allFinite } from './matrix/all-finite.js';
export { asMatrix, type AsMatrixOptions, type MatrixLike, type MlMatrixLike } from './matrix/as-matrix.js';
export { toMlMatrix, fromMlMatrix } from './matrix/ml-matrix-adapter.js';

// Labels
export { createLabelInventory, type LabelInventory } from './labels/label-inventory.js';
export { UPOS_LABELS, upos, type Upos } from './labels/upos.js';
export { DEPREL_LABELS, deprel, stripDeprelSubtype, type Deprel } from './labels/deprel.js';

// Randomness
export { createRng, type Rng } from './random/rng.js';
export { sampleIndices } from './random/sample.js';

// Progress
export type { ProgressEvent, ProgressCallback } from './progress/progress-event.js';
export { throttleProgress } from './progress/throttle-progress.js';

// Options
export { checkOptions, type OptionConstraint, type OptionConstraints } from './options/check-options.js';

// Files
export { writeFileAtomic } from './io/write-file-atomic.js';
export { MAX_LINE_BYTES, openInputStream, type ReadLinesOptions, readLines } from './io/read-lines.js';
export { findWorkspaceRoot } from './io/find-workspace-root.js';
export { checkPlainName, resolveInside } from './io/safe-path.js';
export { acquireFileLock, type FileLock, type FileLockOptions, type LockHolder } from './io/file-lock.js';
export { isProcessAlive } from './io/process-alive.js';
export { readBoundedFile } from './io/read-bounded-file.js';
export { openRegularFile, readBytesAt } from './io/regular-file.js';
export { downloadFile, type DownloadFileOptions, type DownloadFileResult } from './io/download-file.js';
export type { DownloadRetry } from './io/download-retry.js';

// Saved estimators: config.json + model.safetensors, checked on load
export {
  ESTIMATOR_CONFIG_FILE,
  ESTIMATOR_TENSORS_FILE,
  MAX_ESTIMATOR_CONFIG_BYTES,
  loadEstimatorFiles,
  saveEstimatorFiles,
  type ConfigField,
  type ConfigFieldType,
  type EstimatorConfig,
  type EstimatorFormat,
  type LoadEstimatorFilesOptions,
  type TensorSpec,
} from './io/estimator-files.js';

// Representation store
export {
  DTYPE_BYTES,
  shapeSize,
  type Tensor,
  type TensorDtype,
  type TensorDataByDtype,
} from './store/tensor.js';
export { float32ToFloat16, float16ToFloat32, float16BitsToFloat32 } from './store/float16.js';
export {
  encodeSafetensors,
  decodeSafetensors,
  readSafetensors,
  writeSafetensors,
  readSafetensorsHeader,
  type Safetensors,
} from './store/safetensors.js';
export {
  MAX_SAFETENSORS_HEADER_BYTES,
  SAFETENSORS_DTYPE_BYTES,
  parseSafetensorsHeader,
  type SafetensorsHeader,
  type SafetensorsHeaderOptions,
  type SafetensorsTensorInfo,
} from './store/safetensors-header.js';
export {
  RepresentationStore,
  type RepresentationStoreOptions,
  type RepresentationKey,
  type ShardRecord,
  type StoreEntry,
} from './store/representation-store.js';
