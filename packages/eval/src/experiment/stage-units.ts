import { XlingError } from '@xling/core';
import { cachedJson } from './cached-json.js';
import { type Shard, unitsOfShard } from './extraction-units.js';

/**
 * How one process treats a stage's units of work (a probe, an alignability matrix, a learner, a
 * task's zero-shot scores, a few-shot target and seed, an ICL prompting run or states split):
 * - `all`: compute every missing unit and assemble the stage's result (an unsharded run);
 * - `shard`: compute only the shard's share (round-robin over the sorted unit ids, like the
 *   extraction units), assemble nothing;
 * - `complete`: a stage a shard reads (probes for the meta shards, ...): every unit must exist,
 *   because shards run side by side and must not compute the same unit twice.
 */
export type UnitMode =
  | { kind: 'all' }
  | { kind: 'shard'; shard: Shard }
  | { kind: 'complete'; stage: string; command: string };

export const ALL_UNITS: UnitMode = { kind: 'all' };

/** A stage's units under a {@link UnitMode}. */
export class StageUnits {
  private readonly mine: Set<string> | undefined;

  /** @param ids every unit of the stage (the same list in every shard). */
  constructor(
    readonly stage: string,
    ids: readonly string[],
    readonly mode: UnitMode,
  ) {
    this.mine =
      mode.kind === 'shard'
        ? new Set(
            unitsOfShard(
              [...new Set(ids)].map((id) => ({ id })),
              mode.shard,
            ).map((u) => u.id),
          )
        : undefined;
  }

  /** Whether this process deals with unit `id` (a shard skips the others' units). */
  handles(id: string): boolean {
    return this.mine === undefined || this.mine.has(id);
  }

  /** Whether the stage's result is assembled (not in a shard). */
  get assembles(): boolean {
    return this.mode.kind !== 'shard';
  }

  /** @throws XLING_STAGE_INCOMPLETE when the unit `id` is missing from a stage that must be complete. */
  mayCompute(id: string): void {
    if (this.mode.kind !== 'complete') return;
    throw new XlingError(
      'XLING_STAGE_INCOMPLETE',
      `Stage '${this.stage}' lacks its unit '${id}': shards of a later stage read it complete; run '${this.mode.command}' (without --shard, or all its shards) first.`,
    );
  }

  /** {@link cachedJson} for unit `id`: undefined when another shard owns it. */
  async json<T>(id: string, path: string, compute: () => Promise<T>): Promise<T | undefined> {
    if (!this.handles(id)) return undefined;
    return cachedJson(path, () => {
      this.mayCompute(id);
      return compute();
    });
  }
}
