// Test helpers shared by every @xling package (imports vitest: use from tests only).

export {
  type ConformingEstimator,
  describeEstimator,
  type EstimatorCase,
} from './conformance/describe-estimator.js';
export { type ExpectCloseOptions, expectClose } from './expect-close.js';
export { randomMatrix } from './random-matrix.js';
export { type FileRoute, type FileServer, serveFiles } from './serve-files.js';
export { createTar, createTarGz, tarHeader, type TarInput } from './create-tar.js';
export { fileTree } from './file-tree.js';
