import { type UnitStatus, shardOfUnit } from '@xling/eval';
import type { ExperimentUntil } from '../experiment/execute-experiment.js';

/** A stage a chain can stop after; `icl` is the ICL stage alone (`xling icl`: no encoder stage). */
export type ChainStage = ExperimentUntil;

/**
 * The sharded commands that come before a stage command's own array, in order. Each reads the
 * ones before it complete (a shard of a later stage never computes an earlier stage's units), so
 * each waits for the previous; alignability is computed by the `xling align` shards and, for
 * `run`/`eval`, by their own shards (the final unsharded job assembles the matrices).
 */
const ARRAYS_BEFORE: Record<ChainStage, readonly string[]> = {
  extract: [],
  probes: ['extract'],
  alignability: ['extract', 'probe'],
  meta: ['extract', 'probe'],
  all: ['extract', 'probe', 'meta train'],
  icl: [],
};

/** The name of the extraction array's job, script and logs. */
export const EXTRACTION_ARRAY = 'extract-shards';

/** Default task count of the arrays after extraction: each task reads the whole store first. */
export const LATER_SHARDS_CAP = 8;

/** What the chain of a submission depends on. */
export interface ChainInput {
  /** The stage command's name, e.g. `run`, `meta train`. */
  command: string;
  until: ChainStage;
  /** The extraction units and whether a shard finished each. */
  units: UnitStatus[];
  /** Whether some finished unit's store still waits to be gathered into the store. */
  ungathered: boolean;
  /** `--shards`: the task count of every array. */
  shards?: number;
  /** Whether the config has an `icl` section (the `run`/`eval` shards then run the decoder). */
  icl: boolean;
}

/** One job of the chain; each waits (afterok) for the one before it. */
export interface PlannedJob {
  /** Name of its script, job and logs: `extract-shards`, `extract`, `meta-train-shards`, `run`. */
  name: string;
  /** The xling command's words, e.g. `['meta', 'train']`. */
  command: string[];
  /** A job array of `count` shards: the tasks to submit (`--shard <task>/<count>`). */
  array?: { count: number; tasks: number[] };
  /** Whether it runs a model and gets `--slurm-gpus`. */
  gpus: boolean;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The shards (of `count`) that hold a missing extraction unit, in order. */
export function missingShards(units: UnitStatus[], count: number): number[] {
  const shards = units.filter((u) => !u.done).map((u) => shardOfUnit(units, u.id, count));
  return [...new Set(shards)].sort((a, b) => a - b);
}

/**
 * The jobs `xling <command> --executor slurm` submits: an array per sharded stage up to the
 * command's own (the extraction array only over shards with missing units, and an unsharded
 * `xling extract` after it that gathers the store), then the command itself, unsharded, which
 * assembles its stage. Skipped: an extraction array with no missing unit, a gather with nothing to
 * gather; `xling extract` with nothing missing submits nothing.
 */
export function planChain(input: ChainInput): PlannedJob[] {
  const { command, until, units, ungathered, shards, icl } = input;
  const extraction = shards ?? units.length;
  const later = shards ?? Math.max(1, Math.min(units.length, LATER_SHARDS_CAP));
  const jobs: PlannedJob[] = [];
  // The gather and the command's own unsharded job: no model runs there (the arrays did it all).
  const single = (name: string) => {
    jobs.push({ name: name.replaceAll(' ', '-'), command: name.split(' '), gpus: false });
  };
  for (const stage of [...ARRAYS_BEFORE[until], command]) {
    const words = stage.split(' ');
    if (stage === 'extract') {
      const tasks = missingShards(units, extraction);
      if (tasks.length > 0) {
        jobs.push({
          name: EXTRACTION_ARRAY,
          command: words,
          array: { count: extraction, tasks },
          gpus: true,
        });
      }
      if (tasks.length > 0 || ungathered) single('extract');
      continue;
    }
    const name = `${words.join('-')}-shards`;
    // The decoder runs in the ICL units: those of `xling icl` and of the run/eval shards.
    const gpus = stage === command && (until === 'icl' || (until === 'all' && icl));
    jobs.push({ name, command: words, array: { count: later, tasks: range(later) }, gpus });
  }
  if (command !== 'extract') single(command);
  return jobs;
}
