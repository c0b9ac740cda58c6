import type { ProgressCallback } from '@xling/core';
import type { Decoder } from './decode/decoder.js';
import type { IclRun } from './run-prompting.js';

/**
 * The per-sentence progress callback of {@link structuredPrompting}: sentences done of
 * `runs × perRun`, with the run's accuracy so far, tokens/s and forward passes per word.
 */
export function reportProgress(
  onProgress: ProgressCallback | undefined,
  decoder: Decoder,
  task: string,
  runs: number,
  perRun: number,
): (run: IclRun, words: number) => void {
  const started = performance.now();
  let done = 0;
  let words = 0;
  return (run, sentenceWords) => {
    done++;
    words += sentenceWords;
    const seconds = (performance.now() - started) / 1000;
    onProgress?.({
      status: 'progress',
      task,
      label: `run ${Math.ceil(done / perRun)} of ${runs}`,
      done,
      total: runs * perRun,
      unit: 'sentence',
      metrics: {
        accuracy: run.accuracy,
        tokensPerSecond: seconds > 0 ? decoder.tokens / seconds : 0,
        forwardPassesPerWord: decoder.passes / words,
      },
    });
  };
}
