import { checkOptions, type ProgressCallback } from '@xling/core';
import { UD_SPLITS, type UdSplit } from '../registry/read-manifest.js';
import { type ResolvedTreebank, resolveTreebank, type Substitution } from '../registry/resolve-treebank.js';
import type { UdDirIndex } from '../registry/scan-ud-dir.js';
import type { TreebankGroup } from '../registry/treebanks.js';
import type { ConlluCounts } from './conllu-file-stats.js';
import { countTreebank, type ProgressState, STATS_TASK } from './count-treebank.js';

/** Statistics of one split: the counts plus where they come from. */
export interface SplitStats extends ConlluCounts {
  split: UdSplit;
  /** Files counted, relative to the UD directory. */
  files: string[];
  /** True when the files come from an older UD release. */
  olderRelease: boolean;
  /** Counts that MANIFEST.tsv records for these files, when it does. */
  expected?: { sentences: number; words: number };
}

/** Statistics of one treebank. */
export interface TreebankStats {
  treebank: string;
  language: string;
  group: TreebankGroup | undefined;
  splits: Partial<Record<UdSplit, SplitStats>>;
  /** Splits with no file. */
  missing: UdSplit[];
  fitSplit: 'train' | 'dev' | null;
  testSplit: 'test' | null;
  /** Fallbacks in force for this treebank (dev for fitting, older-release files). */
  substitutions: Substitution[];
}

/** Options of {@link treebankStats}. */
export interface TreebankStatsOptions {
  /** UD directory, when `treebank` is a name. @defaultValue resolveUdDir() */
  dir?: string;
  /** A scanUdDir result to reuse, when `treebank` is a name. */
  index?: UdDirIndex;
  /** See {@link ConlluFileStatsOptions.mode}. @defaultValue 'strict' */
  mode?: 'strict' | 'lenient';
  /**
   * Receives one `ud-stats` event per file (unit `file`, label the file) with
   * `sentencesPerSecond`, `wordsPerSecond` and `megabytesPerSecond` metrics.
   */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * Counts every split of a treebank (see {@link conlluFileStats}), reporting progress per file.
 * `treebank` is a name (resolved with `resolveTreebank`) or an already resolved treebank.
 *
 * @example
 * const stats = await treebankStats('UD_Welsh-CCG');
 * stats.splits.train?.upos.NOUN; // NOUN words in the train split
 * @throws XLING_UD_DATA_MISSING for a treebank without files, XLING_FILE_FORMAT for a bad file (strict mode).
 */
export async function treebankStats(
  treebank: string | ResolvedTreebank,
  options: TreebankStatsOptions = {},
): Promise<TreebankStats> {
  const { index, signal, ...checked } = options;
  checkOptions(
    checked,
    {
      dir: { type: 'string' },
      mode: { type: 'enum', values: ['strict', 'lenient'] },
      onProgress: { type: 'function' },
    },
    'treebankStats',
  );
  const { dir, mode = 'strict', onProgress } = checked;
  const resolved =
    typeof treebank === 'string'
      ? await resolveTreebank(treebank, {
          ...(dir === undefined ? {} : { dir }),
          ...(index ? { index } : {}),
        })
      : treebank;
  const files = UD_SPLITS.reduce((sum, split) => sum + (resolved.splits[split]?.files.length ?? 0), 0);
  const state: ProgressState = {
    filesDone: 0,
    filesTotal: files,
    sentences: 0,
    words: 0,
    bytes: 0,
    started: Date.now(),
  };
  onProgress?.({ status: 'start', task: STATS_TASK, label: resolved.name, total: files, unit: 'file' });
  const stats = await countTreebank(resolved, { mode, onProgress, signal }, state);
  onProgress?.({
    status: 'end',
    task: STATS_TASK,
    label: resolved.name,
    done: state.filesDone,
    total: files,
    unit: 'file',
    metrics: { sentences: state.sentences, words: state.words },
  });
  return stats;
}
