import { terminateParallelWorkers } from './parallel-gemm.js';

/**
 * Stops the worker threads that `threads > 1` started (`orthogonalProcrustes`, `cca`,
 * `linearCka`, ...). They are `unref`'d, so a process exits without calling this; call it to
 * free their memory at once or in test teardown. A later call with `threads > 1` starts new ones.
 *
 * @returns a promise that settles once every worker has exited
 * @see Node.js `worker_threads` (`Worker.terminate`)
 * @example
 * const { correlations } = cca(x, y, { threads: os.availableParallelism() });
 * await terminateAlignWorkers();
 */
export function terminateAlignWorkers(): Promise<void> {
  return terminateParallelWorkers();
}
