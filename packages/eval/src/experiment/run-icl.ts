import { availableParallelism } from 'node:os';
import { XlingError } from '@xling/core';
import { resolveUdDir, scanUdDir } from '@xling/ud';
import type { ExperimentResult } from '../report/experiment-result.js';
import { writeReport } from '../report/write-report.js';
import { configHash } from './config-hash.js';
import type { ExperimentConfig } from './experiment-config.js';
import { resolveExperimentLanguages } from './experiment-languages.js';
import { checkShard } from './extraction-units.js';
import { iclStage, iclStageShard } from './icl-stage.js';
import type { ExperimentRun, RunExperimentOptions } from './run-experiment.js';
import { runLayout, writeStagesFile } from './run-layout.js';
import { runMetadata } from './run-metadata.js';

/**
 * Runs only the ICL stage of an experiment (`xling icl`): resolves the languages' treebanks, runs
 * {@link iclStage} with the decoder of `config.icl` — the encoder (`config.model`) is never loaded:
 * the concept analysis and the alignability relation read the decoder's own states — and writes
 * a report with the run metadata and the `icl` section into the run folder (`xling run` on the
 * same config later writes the full report there, reusing the stage's cache). With `shard`, only
 * the shard's prompting runs and states splits are computed (icl-units.ts) and no report is written.
 *
 * @throws XLING_CONFIG when the config has no `icl` section, and as {@link iclStage};
 * XLING_UD_DATA_MISSING; XLING_MODEL_FOLDER; XLING_ABORTED.
 */
export async function runIcl(
  config: ExperimentConfig,
  options: Pick<RunExperimentOptions, 'onProgress' | 'signal' | 'shard'> = {},
): Promise<ExperimentRun> {
  const { onProgress, signal, shard } = options;
  if (!config.icl) {
    throw new XlingError(
      'XLING_CONFIG',
      "Config key 'icl' is missing: add an icl section with the decoder model folder (icl.model) to run in-context learning.",
    );
  }
  onProgress?.({ status: 'start', task: 'experiment', label: 'resolving treebanks' });
  const plan = await resolveExperimentLanguages(config, await scanUdDir(resolveUdDir(config.udDir)));
  const threads = config.threads > 0 ? config.threads : availableParallelism();
  const input = { config, languages: plan.languages, threads, onProgress, signal };
  const layout = runLayout(config);
  if (shard) {
    checkShard(shard, 'runIcl');
    await iclStageShard(input, shard);
    return { runDir: layout.runDir, stageDirs: layout.dirs, until: 'all' };
  }
  const { section, folder } = await iclStage(input);
  await writeStagesFile(layout, [folder]);
  const data = {
    languages: plan.languages.map((language) => ({ language })),
    instances: () => undefined,
    model: { name: section.model.name, layers: section.model.layers },
    pooling: 'none',
    substitutions: plan.substitutions,
    warnings: plan.warnings,
  };
  const hash = configHash(config);
  const targets = plan.languages.filter((l) => l.roles.some((r) => r === 'target' || r === 'low-resource'));
  const low = targets.filter((l) => l.roles.includes('low-resource')).map((l) => l.language);
  const high = targets.filter((l) => !l.roles.includes('low-resource')).map((l) => l.language);
  const { pooling: _, ...run } = runMetadata(config, data, hash, { low, high }, []);
  const result: ExperimentResult = {
    schemaVersion: 1,
    run: {
      ...run,
      layer: section.layers[0],
      notes: [
        `In-context learning only ('xling icl'): the decoder ${section.model.name} (${section.model.fingerprint}); the encoder stages did not run.`,
      ],
    },
    icl: section,
    ...(plan.warnings.length > 0 ? { warnings: plan.warnings } : {}),
  };
  onProgress?.({ status: 'start', task: 'experiment', label: 'writing the report' });
  const report = await writeReport(layout.runDir, result);
  onProgress?.({ status: 'end', task: 'experiment', label: layout.runDir });
  return { runDir: layout.runDir, stageDirs: layout.dirs, until: 'all', result, report };
}
