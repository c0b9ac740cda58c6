import { join } from 'node:path';
import { createControlTask } from '@xling/meta';
import type { ProbeSummary } from '../report/experiment-result.js';
import { cachedJson } from './cached-json.js';
import type { ExperimentConfig } from './experiment-config.js';
import type { ProbeTable } from './probe-stage.js';
import type { InstanceSource, StudyLanguage } from './study-data.js';
import { summarizeProbe } from './summarize-probes.js';

/**
 * Summaries of the main layer's probes (every language with a fitting split) with their
 * controls, cached per task; each flagged probe also becomes a warning of the report.
 */
export async function probeSummaries(input: {
  runDir: string;
  config: ExperimentConfig;
  languages: StudyLanguage[];
  instances: InstanceSource;
  probes: ProbeTable;
  controlTaskProbes: ProbeTable;
  onWarning: (message: string) => void;
}): Promise<ProbeSummary[]> {
  const { runDir, config, languages, instances, probes, controlTaskProbes, onWarning } = input;
  const layer = config.layers[0];
  const out: ProbeSummary[] = [];
  for (const task of config.tasks) {
    const id = `${task}/${layer}`;
    const file = join(runDir, 'probe-summaries', `${task}-L${layer}.json`);
    const rows = await cachedJson(file, async () => {
      const summaries: ProbeSummary[] = [];
      for (const s of languages.filter((l) => l.fit)) {
        const language = s.language.language;
        const fit = (await instances(s.fit, language, layer, task))!;
        const test = await instances(s.test, language, layer, task);
        const controlProbe = controlTaskProbes[id]?.[language];
        const controlTest =
          controlProbe && test?.wordIds
            ? createControlTask(fit, { seed: config.seed }).relabel(test)
            : undefined;
        summaries.push(
          summarizeProbe({
            task,
            layer,
            language,
            treebank: s.language.treebank.name,
            probe: probes[id][language],
            fit,
            ...(test ? { test } : {}),
            ...(controlProbe ? { controlProbe } : {}),
            ...(controlTest ? { controlTest } : {}),
          }),
        );
      }
      return summaries;
    });
    for (const r of rows)
      if (r.flags.length > 0)
        onWarning(`${task} probe of ${r.language} (layer ${layer}): ${r.flags.join('; ')}`);
    out.push(...rows);
  }
  return out;
}
