import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ExperimentConfig, type UnitStatus, extractionStatus, runLayout } from '@xling/eval';
import type { ChainInput, ChainStage } from './job-plan.js';

/** Whether a finished unit's own store is still there, waiting to be moved into the store. */
function ungathered(config: ExperimentConfig, units: UnitStatus[]): boolean {
  const { unitsDir } = runLayout(config);
  return units.some((unit) => unit.done && existsSync(join(unitsDir, unit.id)));
}

/** What {@link planChain} needs to plan `command` on `config`, read from the store as it is now. */
export async function chainInput(
  config: ExperimentConfig,
  command: string,
  until: ChainStage,
  shards: number | undefined,
): Promise<ChainInput> {
  // `xling icl` reads no representation: its chain has no extraction.
  const units = until === 'icl' ? [] : await extractionStatus(config);
  return {
    command,
    until,
    units,
    ungathered: ungathered(config, units),
    ...(shards === undefined ? {} : { shards }),
    icl: config.icl !== undefined,
  };
}
