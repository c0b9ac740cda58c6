import { type ProgressCallback, throwIfAborted } from '@xling/core';
import { UD_SPLITS, type UdSplit } from '../registry/read-manifest.js';
import type { ResolvedTreebank } from '../registry/resolve-treebank.js';
import { addCounts, conlluFileStats, emptyCounts } from './conllu-file-stats.js';
import type { SplitStats, TreebankStats } from './treebank-stats.js';

/** Running totals behind the progress events of a stats run (shared across treebanks by udStats). */
export interface ProgressState {
  filesDone: number;
  filesTotal: number;
  sentences: number;
  words: number;
  bytes: number;
  started: number;
}

export const STATS_TASK = 'ud-stats';

/** Counts a resolved treebank's files, emitting one `progress` event per file into `state`. */
export async function countTreebank(
  resolved: ResolvedTreebank,
  options: {
    mode: 'strict' | 'lenient';
    onProgress?: ProgressCallback | undefined;
    signal?: AbortSignal | undefined;
  },
  state: ProgressState,
): Promise<TreebankStats> {
  const { mode, onProgress, signal } = options;
  const splits: Partial<Record<UdSplit, SplitStats>> = {};
  for (const split of UD_SPLITS) {
    const resolvedSplit = resolved.splits[split];
    if (!resolvedSplit) continue;
    const counts = emptyCounts();
    for (const file of resolvedSplit.files) {
      throwIfAborted(signal, STATS_TASK);
      const fileCounts = await conlluFileStats(file.path, {
        mode,
        ...(signal === undefined ? {} : { signal }),
      });
      addCounts(counts, fileCounts);
      state.filesDone++;
      state.sentences += fileCounts.sentences;
      state.words += fileCounts.words;
      state.bytes += fileCounts.bytes;
      const seconds = Math.max((Date.now() - state.started) / 1000, 1e-3);
      onProgress?.({
        status: 'progress',
        task: STATS_TASK,
        label: file.file,
        done: state.filesDone,
        total: state.filesTotal,
        unit: 'file',
        metrics: {
          sentencesPerSecond: state.sentences / seconds,
          wordsPerSecond: state.words / seconds,
          megabytesPerSecond: state.bytes / 1e6 / seconds,
        },
      });
    }
    const expected =
      resolvedSplit.sentences !== undefined && resolvedSplit.words !== undefined
        ? { sentences: resolvedSplit.sentences, words: resolvedSplit.words }
        : undefined;
    splits[split] = {
      split,
      files: resolvedSplit.files.map((f) => f.file),
      olderRelease: resolvedSplit.olderRelease,
      ...counts,
      ...(expected ? { expected } : {}),
    };
  }
  return {
    treebank: resolved.name,
    language: resolved.language,
    group: resolved.group,
    splits,
    missing: resolved.missing,
    fitSplit: resolved.fitSplit,
    testSplit: resolved.testSplit,
    substitutions: resolved.substitutions,
  };
}
