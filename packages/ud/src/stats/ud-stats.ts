import { checkOptions, InvalidArgumentError, type ProgressCallback } from '@xling/core';
import { resolveTreebank } from '../registry/resolve-treebank.js';
import { resolveUdDir } from '../registry/resolve-ud-dir.js';
import { scanUdDir } from '../registry/scan-ud-dir.js';
import { addCounts, type ConlluCounts, emptyCounts } from './conllu-file-stats.js';
import { countTreebank, type ProgressState, STATS_TASK } from './count-treebank.js';
import type { TreebankStats } from './treebank-stats.js';

/** Options of {@link udStats}. */
export interface UdStatsOptions {
  /** Only these treebanks (names as `resolveTreebank` accepts them). @defaultValue every treebank in the folder */
  treebanks?: readonly string[];
  /** See {@link ConlluFileStatsOptions.mode}. @defaultValue 'strict' */
  mode?: 'strict' | 'lenient';
  /** One `ud-stats` event per file (unit `file`) with sentence, word and MB rates. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Statistics of a UD directory. */
export interface UdStats {
  /** Absolute UD directory. */
  dir: string;
  layout: 'manifest' | 'release';
  /** UD release of the folder, for an extracted release that names it. */
  release?: string;
  treebanks: TreebankStats[];
  /** Sums over every treebank and split. */
  totals: ConlluCounts & { treebanks: number; files: number };
  /** Seconds the counting took. */
  seconds: number;
}

/**
 * Statistics of every treebank (or the chosen ones) of a UD directory: per treebank and split,
 * sentences, words, multiword tokens, empty nodes, UPOS counts and universal deprel counts, plus
 * the fallbacks in force (dev for fitting, older-release files).
 *
 * @param dir UD directory, either layout. @defaultValue resolveUdDir()
 * @example
 * const stats = await udStats(undefined, { treebanks: ['UD_Welsh-CCG'] });
 * stats.treebanks[0].splits.test?.sentences; // 953
 * @throws XLING_UD_DATA_MISSING, XLING_FILE_FORMAT (strict mode), XLING_ABORTED.
 */
export async function udStats(dir?: string, options: UdStatsOptions = {}): Promise<UdStats> {
  const { treebanks: only, signal, ...checked } = options;
  checkOptions(
    checked,
    { mode: { type: 'enum', values: ['strict', 'lenient'] }, onProgress: { type: 'function' } },
    'udStats',
  );
  if (only !== undefined && (!Array.isArray(only) || only.some((t) => typeof t !== 'string'))) {
    throw new InvalidArgumentError('options.treebanks', 'udStats', 'must be an array of treebank names.');
  }
  const { mode = 'strict', onProgress } = checked;
  const started = Date.now();
  const index = await scanUdDir(resolveUdDir(dir));
  const names = only ?? index.treebanks;
  const resolved = [];
  for (const name of names) resolved.push(await resolveTreebank(name, { index }));
  const filesTotal = resolved.reduce(
    (sum, t) => sum + Object.values(t.splits).reduce((s, split) => s + split.files.length, 0),
    0,
  );
  const state: ProgressState = { filesDone: 0, filesTotal, sentences: 0, words: 0, bytes: 0, started };
  onProgress?.({ status: 'start', task: STATS_TASK, label: index.dir, total: filesTotal, unit: 'file' });
  const treebanks: TreebankStats[] = [];
  const totals = emptyCounts();
  for (const treebank of resolved) {
    const stats = await countTreebank(treebank, { mode, onProgress, signal }, state);
    for (const split of Object.values(stats.splits)) addCounts(totals, split);
    treebanks.push(stats);
  }
  const seconds = (Date.now() - started) / 1000;
  onProgress?.({
    status: 'end',
    task: STATS_TASK,
    label: index.dir,
    done: state.filesDone,
    total: filesTotal,
    unit: 'file',
    metrics: {
      sentences: totals.sentences,
      words: totals.words,
      seconds,
      megabytesPerSecond: totals.bytes / 1e6 / Math.max(seconds, 1e-3),
    },
  });
  return {
    dir: index.dir,
    layout: index.layout,
    ...(index.release === undefined ? {} : { release: index.release }),
    treebanks,
    totals: { ...totals, treebanks: treebanks.length, files: filesTotal },
    seconds,
  };
}
