import { join } from 'node:path';
import {
  type DemonstrationPool,
  type IclTask,
  type TaggedSentence,
  majorityBaselines,
  sampleDemonstrations,
  structuredPrompting,
  summarizeAccuracy,
} from '@xling/icl';
import type { IclAccuracy } from '../report/experiment-result.js';
import { cachedJson } from './cached-json.js';
import { type IclContext, promptOptions, tagger } from './icl-context.js';
import type { IclLanguage, IclLanguages } from './icl-languages.js';
import { iclRunId } from './icl-units.js';

/** One prompting run's counts (task, target, demonstration source, run), summed over its batches. */
export interface IclRunUnit {
  demonstrations: number[];
  correct: number;
  total: number;
  /** null when every sentence overflowed. */
  accuracy: number | null;
  skipped: number;
  /** Mean demonstrations in the tagged sentences' prompts. */
  effectiveK: number | null;
  forwardPasses: number;
}

/** What one batch of a run's test sentences gave: the unit of resumption. */
interface IclBatch {
  demonstrations: number[];
  correct: number;
  total: number;
  skipped: number;
  /** Tagged (not skipped) sentences, and the sum of their prompts' demonstrations. */
  tagged: number;
  kSum: number;
  forwardPasses: number;
}

type From = IclAccuracy['demonstrations'];

/** One row's inputs: a task and target, its tagged test sentences, where demonstrations come from. */
interface IclCell {
  task: IclTask;
  target: IclLanguage;
  test: TaggedSentence[];
  from: From;
  /** The tagged demonstration pool (none for 'none'). */
  pool: TaggedSentence[] | undefined;
}

/**
 * Structured-prompting accuracy of every target, task and demonstration source of the config:
 * 'source' draws from the source's fitting split, 'target' from the target's own (skipped for
 * test-only treebanks), 'none' is k = 0 and one run. Each run is saved on its own as
 * `accuracy/<task>/<language>/<from>/run-<r>/batch-<b>.json` (`batchSentences` test sentences
 * each, written atomically), so a killed stage resumes at the batch it was in. A shard runs only
 * its runs and returns no rows.
 */
export async function iclAccuracy(context: IclContext, data: IclLanguages): Promise<IclAccuracy[]> {
  const tagged = tagger();
  const rows: IclAccuracy[] = [];
  for (const task of context.icl.tasks) {
    for (const target of data.targets) {
      for (const from of context.icl.demonstrations) {
        const pool = from === 'source' ? data.source.pool : from === 'target' ? target.pool : undefined;
        if (from !== 'none' && !pool) continue;
        const test = tagged(target.test!, task);
        const row = await accuracyRow(context, {
          task,
          target,
          test,
          from,
          pool: pool && tagged(pool, task),
        });
        if (row) rows.push(row);
      }
    }
  }
  return rows;
}

async function accuracyRow(context: IclContext, cell: IclCell): Promise<IclAccuracy | undefined> {
  const { icl, config, units } = context;
  const { task, target, test, from, pool } = cell;
  const language = target.language.language;
  const sets = pool ? sampleDemonstrations(pool, { k: icl.k, runs: icl.runs, seed: config.seed }) : [null];
  const runs: IclRunUnit[] = [];
  for (const [r, set] of sets.entries()) {
    const id = iclRunId(task, language, from, r);
    if (!units.handles(id)) continue;
    const dir = join(context.dir, id);
    const label = `${task} ${language}, ${from} demonstrations, run ${r + 1} of ${sets.length}`;
    runs.push(await promptRun(context, { task, test, pool, from, set, label, dir }));
  }
  if (!units.assembles) return undefined;
  return accuracyOf(context, cell, runs);
}

/** A row of the report from every run of a target, task and demonstration source. */
function accuracyOf(context: IclContext, cell: IclCell, units: IclRunUnit[]): IclAccuracy {
  const { icl } = context;
  const { task, target, test, from, pool } = cell;
  const language = target.language.language;
  const accuracies = units.map((u) => u.accuracy);
  const scored = accuracies.every((a) => a !== null)
    ? summarizeAccuracy(accuracies as number[])
    : { mean: null, standardError: null };
  const baselines = pool ? majorityBaselines(pool, test) : null;
  const passes = units.reduce((sum, u) => sum + u.forwardPasses, 0);
  const words = units.reduce((sum, u) => sum + u.total, 0);
  const ks = units.flatMap((u) => (u.effectiveK === null ? [] : [u.effectiveK]));
  return {
    task,
    language,
    treebank: target.language.treebank.name,
    demonstrations: from,
    k: pool ? icl.k : 0,
    effectiveK: ks.length > 0 ? ks.reduce((a, b) => a + b, 0) / ks.length : null,
    runs: units.length,
    accuracy: scored.mean,
    standardError: scored.standardError,
    perRun: accuracies,
    sentences: test.length,
    words: units[0].total,
    skipped: units[0].skipped,
    majority: baselines?.majorityTagAccuracy ?? null,
    perWordMajority: baselines?.perWordMajorityAccuracy ?? null,
    forwardPassesPerWord: words > 0 ? passes / words : null,
  };
}

interface RunInput {
  task: IclTask;
  test: TaggedSentence[];
  pool: TaggedSentence[] | undefined;
  from: From;
  set: number[] | null;
  label: string;
  /** Where the run's batches are saved. */
  dir: string;
}

/** One run: the test sentences tagged after one demonstration set (or none), batch by batch. */
async function promptRun(context: IclContext, input: RunInput): Promise<IclRunUnit> {
  const size = context.batchSentences;
  const batches: IclBatch[] = [];
  for (let at = 0; at < input.test.length; at += size) {
    const file = join(input.dir, `batch-${at / size}.json`);
    batches.push(await cachedJson(file, () => promptBatch(context, input, input.test.slice(at, at + size))));
  }
  const sum = (key: 'correct' | 'total' | 'skipped' | 'tagged' | 'kSum' | 'forwardPasses') =>
    batches.reduce((total, b) => total + b[key], 0);
  const [correct, total, tagged] = [sum('correct'), sum('total'), sum('tagged')];
  return {
    demonstrations: batches[0]?.demonstrations ?? input.set ?? [],
    correct,
    total,
    accuracy: total > 0 ? correct / total : null,
    skipped: sum('skipped'),
    effectiveK: tagged > 0 ? sum('kSum') / tagged : null,
    forwardPasses: sum('forwardPasses'),
  };
}

/** One batch of a run's test sentences (the demonstration prefix is decoded once per batch). */
async function promptBatch(context: IclContext, input: RunInput, test: TaggedSentence[]): Promise<IclBatch> {
  const { task, pool, from, set, label } = input;
  const demonstrations: DemonstrationPool =
    pool && from !== 'none' ? { from, sentences: pool } : { from: 'none' };
  const report = await structuredPrompting(context.model, test, demonstrations, {
    ...promptOptions(context, task, label),
    ...(set ? { demonstrationSets: [set] } : {}),
  });
  const run = report.runs[0];
  const tagged = run.sentences.filter((s) => s.skipped === undefined);
  return {
    demonstrations: run.demonstrations,
    correct: run.correct,
    total: run.total,
    skipped: run.skipped,
    tagged: tagged.length,
    kSum: tagged.reduce((total, s) => total + s.k, 0),
    forwardPasses: report.forwardPasses,
  };
}
