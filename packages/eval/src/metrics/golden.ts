import { readFileSync } from 'node:fs';
import type { Label, Prediction, SentencePredictions } from './labels.js';

/** The fixture written by scripts/golden/eval/make_golden.py (test helper, not exported). */
export interface Golden {
  generator: string;
  classification: {
    gold: Label[];
    predicted: Prediction[];
    accuracy: number;
    macroF1: number;
    labels: Label[];
    confusion: number[][];
    explicitLabels: Label[];
    macroF1Explicit0: number;
    macroF1Explicit1: number;
  }[];
  bootstrap: {
    seed: number;
    resamples: number;
    alpha: number;
    metric: 'accuracy' | 'macro-f1';
    sentences: SentencePredictions[];
    estimate: number;
    lower: number;
    upper: number;
    standardError: number;
  }[];
  paired: {
    seed: number;
    resamples: number;
    alpha: number;
    a: SentencePredictions[];
    b: SentencePredictions[];
    estimateA: number;
    estimateB: number;
    lower: number;
    upper: number;
    pValue: number;
    standardError: number;
  }[];
  spread: (Record<string, number | string> & { scores: Record<string, number>; ddof: 0 | 1 })[];
  gap: {
    seed: number;
    resamples: number;
    alpha: number;
    low: string[];
    high: string[];
    baseline: Record<string, number>;
    method: Record<string, number>;
    lowMean: number;
    highMean: number;
    gap: number;
    lower: number;
    upper: number;
    difference: number;
    differenceLower: number;
    differenceUpper: number;
    pValue: number;
  }[];
  cluster: { distance: number[][]; similarity: number[][]; order: number[] }[];
  seeds: {
    values: number[];
    alpha: number;
    mean: number;
    lower: number;
    upper: number;
    std: number;
    quantile: number;
  }[];
  pca: {
    sets: { language: string; labels: string[]; prototypes: number[][] }[];
    coordinates: number[][];
    explainedVarianceRatio: [number, number];
  }[];
}

export const golden: Golden = JSON.parse(
  readFileSync(new URL('../__fixtures__/metrics-golden.json', import.meta.url), 'utf8'),
);

/** Agreement required with the Python reference. */
export const TOLERANCE = { rtol: 0, atol: 1e-12 };
