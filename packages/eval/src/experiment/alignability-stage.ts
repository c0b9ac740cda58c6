import { join } from 'node:path';
import type { ConceptSpace } from '@xling/align';
import { createRng } from '@xling/core';
import type { AlignabilityMatrix } from '../report/experiment-result.js';
import { offDiagonalMean } from '../report/format.js';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import type { ProbeTable } from './probe-stage.js';
import { classMeanConceptSpace, probeConceptSpace, runAlignability } from './run-alignability.js';
import { ALL_UNITS, StageUnits, type UnitMode } from './stage-units.js';
import type { InstanceSource, StudyLanguage } from './study-data.js';

/** Inputs of {@link alignabilityStage}. */
export interface AlignabilityStageInput {
  /** The alignability stage's folder (run-layout.ts): one file per task, layer and prototypes. */
  dir: string;
  config: ExperimentConfig;
  languages: StudyLanguage[];
  instances: InstanceSource;
  probes: ProbeTable;
  /** Random-label control probes (only for `prototypes: 'probe'`). */
  controlProbes: ProbeTable;
  onWarning: (message: string) => void;
  /** Each task and layer's matrices are a unit (a shard computes its share and returns none). */
  mode?: UnitMode;
}

/** The concept spaces of every language with a fitting split, from class means or probes. */
async function spacesOf(
  input: AlignabilityStageInput,
  task: ExperimentTask,
  layer: number,
  kind: 'class-means' | 'probe',
  control: boolean,
): Promise<Record<string, ConceptSpace>> {
  const { config, languages, instances, probes, controlProbes } = input;
  const out: Record<string, ConceptSpace> = {};
  for (const s of languages.filter((l) => l.fit)) {
    const language = s.language.language;
    if (kind === 'probe') {
      const probe = (control ? controlProbes : probes)[`${task}/${layer}`]?.[language];
      if (probe) out[language] = probeConceptSpace(probe, task);
      continue;
    }
    const fit = (await instances(s.fit, language, layer, task))!;
    const labels = control
      ? Int32Array.from(
          createRng(config.seed).fork(`control/${s.language.treebank.name}`).shuffle(Array.from(fit.labels)),
        )
      : fit.labels;
    out[language] = classMeanConceptSpace({ ...fit, labels }, task);
  }
  return out;
}

/**
 * All-pairs alignability per task and layer with the configured prototypes (permutation p-values,
 * random-label control), cached per task and layer. Returns the matrices and, for the main layer,
 * a note with the mean of each metric under the other kind of prototypes (no permutations) where
 * those exist, so a reader sees how much the choice matters (a shard returns neither).
 */
export async function alignabilityStage(
  input: AlignabilityStageInput,
): Promise<{ matrices: AlignabilityMatrix[]; notes: string[] }> {
  const { dir, config, onWarning } = input;
  const { prototypes, metrics, measureOptions, permutations, randomLabelControl } = config.alignability;
  const id = (task: ExperimentTask, layer: number) => `${task}-L${layer}.${prototypes}`;
  const ids = config.tasks.flatMap((task) => config.layers.map((layer) => id(task, layer)));
  const units = new StageUnits('alignability', ids, input.mode ?? ALL_UNITS);
  const matrices: AlignabilityMatrix[] = [];
  for (const task of config.tasks) {
    for (const layer of config.layers) {
      matrices.push(
        ...((await units.json(id(task, layer), join(dir, `${id(task, layer)}.json`), async () =>
          runAlignability(await spacesOf(input, task, layer, prototypes, false), {
            task,
            layer,
            metrics,
            ...(measureOptions ? { measureOptions } : {}),
            permutations,
            minCount: config.meta.minCount,
            seed: config.seed,
            ...(randomLabelControl
              ? { controlSpaces: await spacesOf(input, task, layer, prototypes, true) }
              : {}),
            onWarning,
          }),
        )) ?? []),
      );
    }
  }
  if (!units.assembles) return { matrices: [], notes: [] };
  return { matrices, notes: await otherPrototypesNotes(input) };
}

/** Mean alignability at the main layer with the prototypes not chosen (probes exist there). */
async function otherPrototypesNotes(input: AlignabilityStageInput): Promise<string[]> {
  const { config } = input;
  const other = config.alignability.prototypes === 'probe' ? 'class-means' : 'probe';
  const layer = config.layers[0];
  const notes: string[] = [];
  for (const task of config.tasks) {
    const matrices = runAlignability(await spacesOf(input, task, layer, other, false), {
      task,
      layer,
      metrics: config.alignability.metrics,
      ...(config.alignability.measureOptions ? { measureOptions: config.alignability.measureOptions } : {}),
      permutations: 0,
      minCount: config.meta.minCount,
      seed: config.seed,
    });
    if (matrices[0] === undefined || matrices[0].languages.length < 2) continue;
    const means = matrices.map((m) => `${m.metric} ${(offDiagonalMean(m.values) ?? Number.NaN).toFixed(3)}`);
    notes.push(
      `For comparison, ${task} alignability at layer ${layer} with ${other === 'probe' ? "each language's probe prototypes (W^T mu)" : 'class means'} instead (mean over pairs, no permutations): ${means.join(', ')}.`,
    );
  }
  return notes;
}
