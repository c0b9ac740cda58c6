// Typed view of measures.json (written by scripts/golden/align/make_golden.py) and the
// orthogonal transform the measure tests use for invariance checks. Test support only.
import { type Matrix, createRng } from '@xling/core';
import golden from './measures.json';

export interface MeasureCase {
  name: string;
  x: number[][];
  y: number[][];
  mutualKnnOverlap: { k: number; metric: 'euclidean' | 'cosine'; value: number }[];
  /** Absent from the tie-breaking case, which checks mutualKnnOverlap only. */
  secondOrderCosine?: { k: number; value: number }[];
  angularProcrustes?: number;
  distanceCorrelation?: number;
  normalizedBures?: number;
  /** null where n exceeds a column count, so an RSM is singular and the function must throw. */
  rsmRiemannianDistance?: number | null;
}

export const measureCases = golden.cases as MeasureCase[];

/** `x (I - 2 v v^T)` for a random unit v: an orthogonal transform (a reflection) of the columns. */
export function reflectColumns(x: Matrix<Float64Array>, seed: number): Matrix<Float64Array> {
  const rng = createRng(seed);
  const { rows, cols } = x;
  const v = Float64Array.from({ length: cols }, () => rng.normal());
  const norm = Math.hypot(...v);
  const data = Float64Array.from(x.data);
  for (let i = 0; i < rows; i++) {
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += x.data[i * cols + j] * v[j];
    for (let j = 0; j < cols; j++) data[i * cols + j] -= (2 * dot * v[j]) / (norm * norm);
  }
  return { rows, cols, data };
}

/** `scale * x + shift`, elementwise. */
export function affineCopy(x: Matrix<Float64Array>, scale: number, shift: number): Matrix<Float64Array> {
  return { rows: x.rows, cols: x.cols, data: x.data.map((v) => scale * v + shift) };
}
