import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { XlingError } from '@xling/core';
import { cachedJson } from './cached-json.js';
import { type Shard, unitsOfShard } from './extraction-units.js';
import type { UnitClaims } from './unit-claims.js';

/**
 * How one process treats a stage's units of work (a probe, an alignability matrix, a learner, a
 * task's zero-shot scores, a few-shot target and seed, an ICL prompting run or states split):
 * - `all`: compute every missing unit and assemble the stage's result (an unsharded run);
 * - `shard`: compute only the shard's share (round-robin over the sorted unit ids, like the
 *   extraction units), assemble nothing;
 * - `claim`: compute the units this process claims first (unit-claims.ts), assemble nothing;
 * - `complete`: a stage a shard reads (probes for the meta shards, ...): every unit must exist,
 *   because shards run side by side and must not compute the same unit twice; with `claims`, the
 *   units other shards claimed are waited for.
 */
export type UnitMode =
  | { kind: 'all' }
  | { kind: 'shard'; shard: Shard }
  | { kind: 'claim'; claims: UnitClaims; signal?: AbortSignal }
  | { kind: 'complete'; stage: string; command: string; claims?: UnitClaims; signal?: AbortSignal };

export const ALL_UNITS: UnitMode = { kind: 'all' };

/** How a unit is to be got. */
export interface UnitAccess<T> {
  /** Whether the unit's output exists. */
  ready: () => boolean;
  load: () => Promise<T>;
  /** Computes and saves the unit; undefined when there is nothing to compute. */
  compute: () => Promise<T | undefined>;
  /** Whether the unit has nothing to compute (asked before a missing unit of a stage read complete is an error). */
  empty?: () => Promise<boolean>;
}

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
    return this.mode.kind === 'all' || this.mode.kind === 'complete';
  }

  /**
   * Unit `id` under the mode: loaded when it exists, computed when this process is to compute it
   * (all; its shard's; claimed first), waited for and loaded when another shard computes it
   * (complete with claims); undefined for another shard's unit and for a unit with nothing to
   * compute.
   * @throws XLING_STAGE_INCOMPLETE when the unit is missing from a stage that must be complete.
   */
  async unit<T>(id: string, { ready, load, compute, empty }: UnitAccess<T>): Promise<T | undefined> {
    if (!this.handles(id)) return undefined;
    if (ready()) return load();
    const { mode } = this;
    if (mode.kind === 'all' || mode.kind === 'shard') return compute();
    if (mode.kind === 'claim') {
      if (!mode.claims.claim(this.stage, id)) return undefined;
      // Marked only when done: a failed claimer's exit is what its waiters see.
      const value = await compute();
      mode.claims.finish(this.stage, id);
      return value;
    }
    if (!mode.claims) {
      if (await empty?.()) return undefined;
      throw new XlingError(
        'XLING_STAGE_INCOMPLETE',
        `Stage '${this.stage}' lacks its unit '${id}': shards of a later stage read it complete; run '${mode.command}' (without --shard, or all its shards) first.`,
      );
    }
    await mode.claims.waitFor(this.stage, id, ready, mode.signal);
    return ready() ? load() : undefined;
  }

  /** {@link unit} for a unit saved as the JSON file `path` ({@link cachedJson}). */
  json<T>(id: string, path: string, compute: () => Promise<T>): Promise<T | undefined> {
    return this.unit(id, {
      ready: () => existsSync(path),
      load: async () => JSON.parse(await readFile(path, 'utf8')) as T,
      compute: () => cachedJson(path, compute),
    });
  }
}
