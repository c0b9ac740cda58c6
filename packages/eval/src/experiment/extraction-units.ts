import { XlingError } from '@xling/core';
import type { ResolvedTreebank } from '@xling/ud';
import type { ExperimentConfig } from './experiment-config.js';
import type { ExperimentLanguage } from './experiment-languages.js';

/**
 * One independent piece of extraction: one split of one treebank at one sentence cap. All layers
 * belong to the same unit because one forward pass yields every layer's hidden states.
 */
export interface ExtractionUnit {
  /** `<treebank>.<split>.cap<cap>`: unique, stable and a safe folder name. */
  id: string;
  treebank: ResolvedTreebank;
  split: 'train' | 'dev' | 'test';
  cap: number;
}

/** A share of the work: shard `index` (0-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
  /**
   * A folder of claims shared by shards on one machine: the stages after extraction go to the
   * shard that claims each unit first instead of round-robin, and a shard reading a stage waits
   * for the others' units (unit-claims.ts); extraction units stay round-robin.
   */
  claims?: string;
}

/**
 * The extraction units of an experiment in the order a single process extracts them (language by
 * language: fitting split, dev when train is the fitting split, test); a unit that two languages
 * share (one treebank for both) is listed once.
 */
export function extractionUnits(config: ExperimentConfig, languages: ExperimentLanguage[]): ExtractionUnit[] {
  const units = new Map<string, ExtractionUnit>();
  const add = (treebank: ResolvedTreebank, split: ExtractionUnit['split'], cap: number) => {
    const id = unitId(treebank, split, cap);
    if (!units.has(id)) units.set(id, { id, treebank, split, cap });
  };
  for (const { treebank } of languages) {
    if (treebank.fitSplit) add(treebank, treebank.fitSplit, config.maxFitSentences);
    if (treebank.fitSplit === 'train' && treebank.splits.dev) add(treebank, 'dev', config.maxTestSentences);
    if (treebank.testSplit) add(treebank, 'test', config.maxTestSentences);
  }
  return [...units.values()];
}

/** The id of a unit: `<treebank>.<split>.cap<cap>` (other characters than `A-Za-z0-9_-` become `_`). */
export function unitId(treebank: { name: string }, split: string, cap: number): string {
  return `${treebank.name.replace(/[^A-Za-z0-9_-]+/g, '_')}.${split}.cap${cap}`;
}

/**
 * The units of shard `shard`: round-robin over the units sorted by id, so the assignment depends
 * only on the unit set and the shard count (not on the config's language order), and the shards
 * differ by at most one unit.
 */
export function unitsOfShard<T extends { id: string }>(units: readonly T[], shard: Shard): T[] {
  checkShard(shard, 'unitsOfShard');
  const sorted = [...units].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sorted.filter((_, i) => i % shard.count === shard.index);
}

/** The shard (0-based) that runs `unitId` among `count` shards. */
export function shardOfUnit(units: readonly { id: string }[], unitId: string, count: number): number {
  const ids = units.map((u) => u.id).sort();
  const at = ids.indexOf(unitId);
  if (at < 0) throw new XlingError('XLING_INVALID_ARGUMENT', `No extraction unit '${unitId}'.`);
  return at % count;
}

/** @throws XLING_INVALID_ARGUMENT unless `count` >= 1 and 0 <= `index` < `count` are integers. */
export function checkShard(shard: Shard, fn: string): void {
  const { index, count } = shard;
  if (
    !Number.isSafeInteger(count) ||
    count < 1 ||
    !Number.isSafeInteger(index) ||
    index < 0 ||
    index >= count
  ) {
    throw new XlingError(
      'XLING_INVALID_ARGUMENT',
      `Argument 'shard' passed to '${fn}' must be a 0-based index below a count of at least 1, but got ${index}/${count}.`,
    );
  }
}
