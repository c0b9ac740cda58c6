import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ProgressCallback, createRng, throwIfAborted } from '@xling/core';
import { type InstanceSet, LinearProbe, type LinearProbeOptions, createControlTask } from '@xling/meta';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import { type ProbeVariant, type RunLayout, probeDir } from './run-layout.js';
import { ALL_UNITS, StageUnits, type UnitMode } from './stage-units.js';
import type { InstanceSource, StudyLanguage, StudySplit } from './study-data.js';

/** Probes by `task/layer`, then by language. */
export type ProbeTable = Record<string, Record<string, LinearProbe>>;

/** Which probes a run needs: real probes and control-task probes at the main layer, probes at
 * every layer only when the alignability compares probe prototypes (and their random-label twins). */
export function probePlan(
  config: ExperimentConfig,
): Array<{ task: ExperimentTask; layer: number; variant: ProbeVariant }> {
  const plan: Array<{ task: ExperimentTask; layer: number; variant: ProbeVariant }> = [];
  const byProbe = config.alignability.prototypes === 'probe';
  for (const task of config.tasks) {
    for (const [i, layer] of config.layers.entries()) {
      if (i === 0 || byProbe) plan.push({ task, layer, variant: 'real' });
      if (i === 0) plan.push({ task, layer, variant: 'control-task' });
      if (byProbe && config.alignability.randomLabelControl)
        plan.push({ task, layer, variant: 'random-label' });
    }
  }
  return plan;
}

/** The probe options of a config for a task (every probe of the run, controls included, uses them). */
export function probeOptions(
  config: ExperimentConfig,
  task: ExperimentTask,
  threads: number,
): LinearProbeOptions {
  const p = config.probe;
  return {
    k: p.k[task],
    schedule: p.schedule,
    epochs: p.epochs,
    learningRate: p.learningRate,
    batchSize: p.batchSize,
    tolerance: p.tolerance,
    patience: p.patience,
    init: p.init,
    classPrior: p.classPrior,
    seed: config.seed,
    threads,
  };
}

/** Options of {@link fitProbes}. */
export interface FitProbesOptions {
  layout: RunLayout;
  config: ExperimentConfig;
  languages: StudyLanguage[];
  instances: InstanceSource;
  /** onnxruntime threads per probe. */
  threads: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /**
   * Each probe (its folder `<task>-L<layer>[-variant]/<treebank>` under the probes stage) is a
   * unit: a shard fits only its share and its tables hold only those; `complete` only loads.
   * @defaultValue every probe
   */
  mode?: UnitMode;
}

/**
 * Fits (or loads from the probes stage folder) one probe per {@link probePlan} entry and language
 * with a fitting split: real labels (model selection on dev), the random-label control (labels
 * shuffled over the fitting words) and the Hewitt & Liang control task (each word type relabelled,
 * `createControlTask`); controls select on their own relabelled dev where there is one.
 */
export async function fitProbes(options: FitProbesOptions): Promise<Record<ProbeVariant, ProbeTable>> {
  const { layout, config, languages, instances, threads, onProgress, signal } = options;
  const plan = probePlan(config);
  const tables: Record<ProbeVariant, ProbeTable> = { real: {}, 'random-label': {}, 'control-task': {} };
  const withFit = languages.filter((s) => s.fit);
  const unit = (task: ExperimentTask, layer: number, variant: ProbeVariant, s: StudyLanguage) =>
    relative(layout.dirs.probes, probeDir(layout, task, layer, variant, s.language.treebank.name));
  const all = plan.flatMap(({ task, layer, variant }) => withFit.map((s) => unit(task, layer, variant, s)));
  const units = new StageUnits('probes', all, options.mode ?? ALL_UNITS);
  const total = all.filter((id) => units.handles(id)).length;
  let done = 0;
  for (const { task, layer, variant } of plan) {
    const table = `${task}/${layer}`;
    tables[variant][table] ??= {};
    for (const s of withFit) {
      const id = unit(task, layer, variant, s);
      if (!units.handles(id)) continue;
      throwIfAborted(signal, 'runExperiment');
      const language = s.language.language;
      onProgress?.({
        status: 'progress',
        task: 'probes',
        label: `${task} L${layer} ${language}${variant === 'real' ? '' : ` (${variant})`}`,
        done: done++,
        total,
        unit: 'probe',
      });
      const folder = probeDir(layout, task, layer, variant, s.language.treebank.name);
      const get = (split: StudySplit | undefined) => instances(split, language, layer, task);
      const probe = await units.unit(id, {
        ready: () => existsSync(join(folder, 'config.json')),
        load: () => LinearProbe.load(folder),
        // Without word forms there is no control task (relabelled gives nothing to fit).
        empty: async () => variant === 'control-task' && !(await get(s.fit))?.wordIds,
        compute: async () => {
          const sets = relabelled(variant, (await get(s.fit))!, await get(s.dev), config.seed, s);
          if (!sets) return undefined;
          const fitted = await new LinearProbe(probeOptions(config, task, threads)).fit(sets.fit, sets.dev);
          await fitted.save(folder);
          return fitted;
        },
      });
      if (probe) tables[variant][table][language] = probe;
    }
  }
  return tables;
}

/** The fitting and dev sets of a probe variant (dev left out for the random-label control). */
function relabelled(
  variant: ProbeVariant,
  fit: InstanceSet,
  dev: InstanceSet | undefined,
  seed: number,
  s: StudyLanguage,
): { fit: InstanceSet; dev?: InstanceSet } | undefined {
  if (variant === 'real') return { fit, ...(dev ? { dev } : {}) };
  if (variant === 'random-label') {
    const rng = createRng(seed).fork(`control/${s.language.treebank.name}`);
    return { fit: { ...fit, labels: Int32Array.from(rng.shuffle(Array.from(fit.labels))) } };
  }
  if (!fit.wordIds) return undefined; // no word forms: no control task
  const control = createControlTask(fit, { seed });
  return { fit: control.relabel(fit), ...(dev ? { dev: control.relabel(dev) } : {}) };
}
