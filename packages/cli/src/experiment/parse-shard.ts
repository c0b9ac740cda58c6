import type { Shard } from '@xling/eval';
import { UsageError } from '../usage-error.js';

/**
 * Parses `--shard i/N`: shard `i` (0-based, as Slurm's `$SLURM_ARRAY_TASK_ID` counts) of `N`.
 * @throws UsageError unless `N` >= 1 and 0 <= `i` < `N` are integers.
 */
export function parseShard(value: unknown, command: string): Shard | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(String(value));
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new UsageError(
      `--shard must be i/N with 0 <= i < N (0-based, like $SLURM_ARRAY_TASK_ID), but got '${String(value)}'.`,
      command,
    );
  }
  return { index, count };
}
