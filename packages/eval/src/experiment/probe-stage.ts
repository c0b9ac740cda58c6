import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ProgressCallback, createRng, throwIfAborted } from '@xling/core';
import { type InstanceSet, LinearProbe, type LinearProbeOptions, createControlTask } from '@xling/meta';
import type { ExperimentConfig, ExperimentTask } from './experiment-config.js';
import type { InstanceSource, StudyLanguage, StudySplit } from './study-data.js';

/** Probes by `task/layer`, then by language. */
export type ProbeTable = Record<string, Record<string, LinearProbe>>;

/** Which probes a run fits besides the real ones. */
export type ProbeVariant = 'real' | 'random-label' | 'control-task';

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
  runDir: string;
  config: ExperimentConfig;
  languages: StudyLanguage[];
  instances: InstanceSource;
  /** Layers and variants to fit, per task. */
  plan: Array<{ task: ExperimentTask; layer: number; variant: ProbeVariant }>;
  /** onnxruntime threads per probe. */
  threads: number;
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/**
 * Fits (or loads from `<runDir>/probes/`) one probe per planned task × layer × variant and language
 * with a fitting split: real labels (model selection on dev), the random-label control (labels
 * shuffled over the fitting words) and the Hewitt & Liang control task (each word type relabelled,
 * `createControlTask`); controls select on their own relabelled dev where there is one.
 */
export async function fitProbes(options: FitProbesOptions): Promise<Record<ProbeVariant, ProbeTable>> {
  const { runDir, config, languages, instances, plan, threads, onProgress, signal } = options;
  const tables: Record<ProbeVariant, ProbeTable> = { real: {}, 'random-label': {}, 'control-task': {} };
  const withFit = languages.filter((s) => s.fit);
  const total = plan.length * withFit.length;
  let done = 0;
  for (const { task, layer, variant } of plan) {
    const id = `${task}/${layer}`;
    tables[variant][id] ??= {};
    for (const s of withFit) {
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
      const suffix = variant === 'real' ? '' : variant === 'random-label' ? '-control' : '-control-task';
      const folder = join(runDir, 'probes', `${task}-L${layer}${suffix}`, s.language.treebank.name);
      if (existsSync(join(folder, 'config.json'))) {
        tables[variant][id][language] = await LinearProbe.load(folder);
        continue;
      }
      const get = (split: StudySplit | undefined) => instances(split, language, layer, task);
      const sets = relabelled(variant, (await get(s.fit))!, await get(s.dev), config.seed, s);
      if (!sets) continue;
      const probe = await new LinearProbe(probeOptions(config, task, threads)).fit(sets.fit, sets.dev);
      await probe.save(folder);
      tables[variant][id][language] = probe;
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
