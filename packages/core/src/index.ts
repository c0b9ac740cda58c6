// Errors

export { AbortError, throwIfAborted } from './errors/abort-error.js';
export { FileFormatError, type FileFormatErrorInfo } from './errors/file-format-error.js';
export { InvalidArgumentError } from './errors/invalid-argument-error.js';
export { ModelFolderError } from './errors/model-folder-error.js';
export { NotFittedError } from './errors/not-fitted-error.js';
export { ShapeMismatchError } from './errors/shape-mismatch-error.js';
export { XlingError, type XlingErrorOptions } from './errors/xling-error.js';
export { openInputStream, readLines } from './io/read-lines.js';
// Files
export { writeFileAtomic } from './io/write-file-atomic.js';
export { DEPREL_LABELS, type Deprel, deprel, stripDeprelSubtype } from './labels/deprel.js';

// Labels
export { createLabelInventory, type LabelInventory } from './labels/label-inventory.js';
export { UPOS_LABELS, type Upos, upos } from './labels/upos.js';
export { type AsMatrixOptions, asMatrix, type MatrixLike, type MlMatrixLike } from './matrix/as-matrix.js';
// Matrices
export {
  createMatrix,
  type Matrix,
  type MatrixData,
  matrixRow,
  selectRows,
  toArray2d,
  transpose,
} from './matrix/matrix.js';
export { fromMlMatrix, toMlMatrix } from './matrix/ml-matrix-adapter.js';
// Options
export { checkOptions, type OptionConstraint, type OptionConstraints } from './options/check-options.js';
// Progress
export type { ProgressCallback, ProgressEvent } from './progress/progress-event.js';
export { throttleProgress } from './progress/throttle-progress.js';
// Randomness
export { createRng, type Rng } from './random/rng.js';
export { sampleIndices } from './random/sample.js';
export {
  float16BitsToFloat32,
  float16ToFloat32,
  float32ToFloat16,
} from './store/float16.js';
export {
  type RepresentationKey,
  RepresentationStore,
  type ShardRecord,
  type StoreEntry,
} from './store/representation-store.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  type Safetensors,
  writeSafetensors,
} from './store/safetensors.js';
// Representation store
export {
  DTYPE_BYTES,
  shapeSize,
  type Tensor,
  type TensorDataByDtype,
  type TensorDtype,
} from './store/tensor.js';
