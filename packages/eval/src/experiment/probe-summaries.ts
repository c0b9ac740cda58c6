import { createControlTask } from '@xling/meta';
import type { ProbeSummary } from '../report/experiment-result.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import type { ProbeTable } from './probe-stage.js';
import { type RunLayout, probeSummaryFile } from './run-layout.js';
import type { InstanceSource, StudyLanguage } from './study-data.js';
import { ALL_UNITS, StageUnits, type UnitMode } from './stage-units.js';
import { summarizeProbe } from './summarize-probes.js';

/** Inputs of {@link probeSummaries}. */
export interface ProbeSummariesInput {
  layout: RunLayout;
  config: ExperimentConfig;
  languages: StudyLanguage[];
  instances: InstanceSource;
  probes: ProbeTable;
  controlTaskProbes: ProbeTable;
  onWarning: (message: string) => void;
  /** Each summary (a task and treebank) is a unit; only `all` and `complete` return them. */
  mode?: UnitMode;
}

/**
 * Summaries of the main layer's probes (every language with a fitting split) with their
 * controls, cached per task and treebank beside the probes; each flagged probe also becomes a
 * warning of the report.
 */
export async function probeSummaries(input: ProbeSummariesInput): Promise<ProbeSummary[]> {
  const { layout, config, languages, onWarning } = input;
  const layer = config.layers[0];
  const jobs = config.tasks.flatMap((task) =>
    languages.filter((l) => l.fit).map((s) => ({ task, s, id: `${task}/${s.language.treebank.name}` })),
  );
  const units = new StageUnits(
    'probe summaries',
    jobs.map((j) => j.id),
    input.mode ?? ALL_UNITS,
  );
  const out: ProbeSummary[] = [];
  for (const { task, s, id } of jobs) {
    const file = probeSummaryFile(layout, task, layer, s.language.treebank.name);
    const row = await units.json(id, file, () => summary(input, task, layer, s));
    if (!row || !units.assembles) continue;
    if (row.flags.length > 0)
      onWarning(`${task} probe of ${row.language} (layer ${layer}): ${row.flags.join('; ')}`);
    out.push(row);
  }
  return out;
}

async function summary(
  input: ProbeSummariesInput,
  task: ExperimentTask,
  layer: number,
  s: StudyLanguage,
): Promise<ProbeSummary> {
  const { config, instances, probes, controlTaskProbes } = input;
  const id = `${task}/${layer}`;
  const language = s.language.language;
  const fit = (await instances(s.fit, language, layer, task))!;
  const test = await instances(s.test, language, layer, task);
  const controlProbe = controlTaskProbes[id]?.[language];
  const controlTest =
    controlProbe && test?.wordIds ? createControlTask(fit, { seed: config.seed }).relabel(test) : undefined;
  return summarizeProbe({
    task,
    layer,
    language,
    treebank: s.language.treebank.name,
    probe: probes[id][language],
    fit,
    ...(test ? { test } : {}),
    ...(controlProbe ? { controlProbe } : {}),
    ...(controlTest ? { controlTest } : {}),
  });
}
