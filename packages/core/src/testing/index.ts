// Test helpers shared by every @xling package (imports vitest: use from tests only).
export { expectClose, type ExpectCloseOptions } from './expect-close.js';
export { randomMatrix } from './random-matrix.js';
export { describeEstimator, type ConformingEstimator, type EstimatorCase } from './conformance/describe-estimator.js';
