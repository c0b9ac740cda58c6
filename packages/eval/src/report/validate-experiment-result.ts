import * as v from 'valibot';
import { issueKey } from '../schema/strict-schemas.js';
import {
  EXPERIMENT_RESULT_SCHEMA_VERSION,
  type ExperimentResult,
  experimentResultSchema,
  show,
} from './experiment-result.js';

/** One problem found by {@link validateExperimentResult}. */
export interface ExperimentResultIssue {
  /** Path of the offending key, e.g. `zeroShot[2].accuracy`. */
  path: string;
  /** What is wrong, e.g. `must be a finite number in [0, 1], but got 1.5.` */
  message: string;
}

/** A broken file can have thousands of problems; the first ones are enough to fix it. */
const MAX_ISSUES = 50;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** How far a stored selectivity may be from accuracy - controlTask (rounding of the writer). */
const SELECTIVITY_TOLERANCE = 1e-6;

function checkSquare(
  rows: unknown[][],
  languages: number,
  path: string,
  issues: ExperimentResultIssue[],
): void {
  if (rows.length !== languages) {
    issues.push({ path, message: `must have ${languages} rows, one per language, but got ${rows.length}.` });
    return;
  }
  rows.forEach((row, i) => {
    if (row.length !== languages) {
      issues.push({
        path: `${path}[${i}]`,
        message: `must have ${languages} entries, one per language, but got ${row.length}.`,
      });
    }
  });
}

/** The schema's issues as paths and messages; a value that breaks several parts of one constraint is named once. */
function schemaIssues(value: unknown): ExperimentResultIssue[] {
  const issues: ExperimentResultIssue[] = [];
  for (const issue of v.safeParse(experimentResultSchema, value).issues ?? []) {
    const { path, message } = { path: issueKey(issue), message: issue.message };
    const last = issues.at(-1);
    if (last?.path !== path || last.message !== message) issues.push({ path, message });
    if (issues.length === MAX_ISSUES) break;
  }
  return issues;
}

/**
 * Checks a value against the experiment-result schema (version 1) and lists every problem with
 * the path of the offending key: unknown keys (typos), missing required keys, wrong types, values
 * out of range, alignability matrices whose shape does not match their language list, intervals
 * with `lower > upper`, a probe whose best epoch exceeds its epochs run or whose selectivity is not
 * accuracy − control task, learning curves whose epochs do not increase, ICL rows without one
 * accuracy per run. An empty list means the value is a valid {@link ExperimentResult}.
 *
 * @param value - a parsed `report.json` or an object about to be written
 * @returns the problems found (at most 50), in document order
 * @example
 * validateExperimentResult({ schemaVersion: 2 });
 * // [{ path: 'schemaVersion', message: 'must be 1 (the schema this @xling/eval reads), but got 2.' }, ...]
 */
export function validateExperimentResult(value: unknown): ExperimentResultIssue[] {
  const version = isRecord(value) ? value.schemaVersion : undefined;
  if (version !== undefined && version !== EXPERIMENT_RESULT_SCHEMA_VERSION) {
    const message = `must be ${EXPERIMENT_RESULT_SCHEMA_VERSION} (the schema this @xling/eval reads), but got ${show(version)}.`;
    return [{ path: 'schemaVersion', message }];
  }
  // The cross-field checks below read a value of the right shape.
  const issues = schemaIssues(value);
  if (issues.length > 0) return issues;
  const result = value as ExperimentResult;
  (result.alignability ?? []).forEach((m, i) => {
    for (const key of ['values', 'pValues', 'control'] as const) {
      const rows = m[key];
      if (rows !== undefined) checkSquare(rows, m.languages.length, `alignability[${i}].${key}`, issues);
    }
  });
  const checkOrder = (lower: number, upper: number, path: string) => {
    if (lower > upper)
      issues.push({ path, message: `must have lower <= upper, but got [${lower}, ${upper}].` });
  };
  (result.zeroShot ?? []).forEach((row, i) => {
    if (row.ci) checkOrder(row.ci.lower, row.ci.upper, `zeroShot[${i}].ci`);
  });
  (result.fewShot ?? []).forEach((curve, i) => {
    curve.points.forEach((p, j) => {
      checkOrder(p.lower, p.upper, `fewShot[${i}].points[${j}]`);
    });
  });
  (result.gaps ?? []).forEach((g, i) => {
    if (g.gap) checkOrder(g.gap.lower, g.gap.upper, `gaps[${i}].gap`);
    if (g.gapChange) checkOrder(g.gapChange.lower, g.gapChange.upper, `gaps[${i}].gapChange`);
  });
  (result.probes ?? []).forEach((p, i) => {
    if (p.bestEpoch > p.epochsRun) {
      issues.push({
        path: `probes[${i}].bestEpoch`,
        message: `must be at most epochsRun (${p.epochsRun}), but got ${p.bestEpoch}.`,
      });
    }
    if (p.accuracy !== null && p.controlTask !== null && p.selectivity !== null) {
      const expected = p.accuracy - p.controlTask;
      if (Math.abs(p.selectivity - expected) > SELECTIVITY_TOLERANCE) {
        issues.push({
          path: `probes[${i}].selectivity`,
          message: `must be accuracy - controlTask (${expected}), but got ${p.selectivity}.`,
        });
      }
    }
  });
  checkIcl(result.icl, checkOrder, issues);
  (result.learningCurves ?? []).forEach((c, i) => {
    c.points.forEach((p, j) => {
      if (j > 0 && p.epoch <= c.points[j - 1].epoch) {
        issues.push({
          path: `learningCurves[${i}].points[${j}].epoch`,
          message: `must be greater than the previous point's epoch (${c.points[j - 1].epoch}), but got ${p.epoch}.`,
        });
      }
    });
    const last = c.points.at(-1)?.epoch ?? 0;
    if (c.bestEpoch > last) {
      issues.push({
        path: `learningCurves[${i}].bestEpoch`,
        message: `must be at most the last epoch of the curve (${last}), but got ${c.bestEpoch}.`,
      });
    }
  });
  return issues;
}

/** The ICL section: one accuracy per run, ordered intervals. */
function checkIcl(
  icl: ExperimentResult['icl'],
  checkOrder: (lower: number, upper: number, path: string) => void,
  issues: ExperimentResultIssue[],
): void {
  if (!icl) return;
  icl.accuracy.forEach((row, i) => {
    if (row.perRun.length !== row.runs)
      issues.push({
        path: `icl.accuracy[${i}].perRun`,
        message: `must hold one accuracy per run (${row.runs}), but got ${row.perRun.length}.`,
      });
  });
  icl.concepts.forEach((row, i) => {
    if (row.ci) checkOrder(row.ci.lower, row.ci.upper, `icl.concepts[${i}].ci`);
  });
  icl.relation.forEach((r, i) => {
    if (r.correlation) checkOrder(r.correlation.lower, r.correlation.upper, `icl.relation[${i}].correlation`);
  });
}
