import { RepresentationStore } from '@xling/core';
import { resolveUdDir, scanUdDir } from '@xling/ud';
import type { ExperimentConfig } from './experiment-config.js';
import { resolveExperimentLanguages } from './experiment-languages.js';
import { extractionUnits } from './extraction-units.js';
import { runLayout } from './run-layout.js';
import { isUnitDone } from './unit-stores.js';

/** Whether one extraction unit is finished. */
export interface UnitStatus {
  id: string;
  done: boolean;
}

/**
 * The extraction units of `config` (in the single-process order) and whether a shard finished
 * each, read from the stores without loading the model: what a scheduler needs to show progress
 * and to re-submit only the missing units. A unit extracted by an unsharded run has no shard's
 * mark and counts as not done; a shard given it finds it complete at once.
 */
export async function extractionStatus(config: ExperimentConfig): Promise<UnitStatus[]> {
  const plan = await resolveExperimentLanguages(config, await scanUdDir(resolveUdDir(config.udDir)));
  const { storeDir, unitsDir } = runLayout(config);
  const store = await RepresentationStore.open(storeDir);
  const status: UnitStatus[] = [];
  for (const unit of extractionUnits(config, plan.languages)) {
    status.push({ id: unit.id, done: await isUnitDone(unitsDir, unit.id, store) });
  }
  return status;
}
