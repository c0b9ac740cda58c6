import { measures } from '@xling/align';
import { DEFAULT_EXPERIMENT_CONFIG, DEFAULT_ICL_CONFIG } from '@xling/eval';

const d = DEFAULT_EXPERIMENT_CONFIG;
const icl = DEFAULT_ICL_CONFIG;
/** A JSON value is a YAML flow value. */
const v = (value: unknown) => JSON.stringify(value);

/** One comment line per registered measure: id, direction, description, options with defaults. */
export function measureComments(): string {
  return measures
    .list()
    .map((m) => {
      const options = Object.entries(m.options ?? {}).map(
        ([k, o]) => `${k}${'values' in o ? ` (${o.values.join('|')})` : ''} = ${JSON.stringify(o.default)}`,
      );
      const more = m.higherIsMoreAlignable ? 'higher' : 'lower';
      return `#   ${m.id}: ${m.description}; ${more} = more alignable${options.length ? `; options: ${options.join(', ')}` : ''}`;
    })
    .join('\n');
}

/**
 * The commented example config `xling config init` writes: every key with its default value
 * (taken from DEFAULT_EXPERIMENT_CONFIG, so the file never drifts from the library), the optional
 * ones commented out, and a line on what each means.
 */
export function formatExampleConfig(model: string): string {
  return `# xling experiment config (YAML; JSON works too). Every key but 'model' has a default, and
# the values below are the defaults. Check it with 'xling extract <file>': a wrong key or value
# stops the run at once with a message naming the key. Relative paths start from the folder
# you run xling in. Each stage is cached under <outDir>/stages/<stage>/<key of what it reads>/.

# Report title.
title: ${v(d.title)}
# Model folder in the Hugging Face layout with onnx/model.onnx ('xling model build' makes one
# from a safetensors checkpoint; 'xling model layers <dir>' lists its layers).
model: ${v(model)}
# Name used in store keys and reports (default: the model folder's name).
# modelName: my-model
# UD directory (default: $XLING_UD_DIR, else ../shared/data/ud next to the repository).
# udDir: ../shared/data/ud
# Output folder: store/ (representations), stages/ (stage caches), runs/<config hash>/ (the report).
outDir: ${v(d.outDir)}

# Layers to analyse (0 = embeddings); the first is the main layer for zero- and few-shot, all of
# them go into the layer sweep.
layers: ${v(d.layers)}
# Sub-word pooling: first, last or mean (default: the model family's).
# pooling: first
# Sentences longer than the model's limit: skip them, or cut them into windows of whole words.
overflow: ${v(d.overflow)}
# Concept tasks: upos and/or deprel.
tasks: ${v(d.tasks)}

# Languages. Leave metaLanguages, validationLanguages and targetLanguages out to use the study's
# roles from the @xling/ud registry (targets are never meta-trained on or used for validation).
sourceLanguage: ${v(d.sourceLanguage)}
# metaLanguages: [en, de, fr, es, ru]
# validationLanguages: [it]
# targetLanguages: [cy, mr]
# Extra zero-shot targets by treebank name (default: the registry's low-resource treebanks).
# lowResourceTreebanks: [UD_Warlpiri-UFAL]

# Most sentences per language for fitting (probes, meta-training) and for testing; a seeded
# sample is drawn above the cap.
maxFitSentences: ${v(d.maxFitSentences)}
maxTestSentences: ${v(d.maxTestSentences)}

# Linear probes (one per language and task at the main layer, plus a control-task twin; at every
# layer when alignability compares probe prototypes); k = rank of the probe per task.
# schedule: converge trains until the fitting loss improves by less than tolerance for patience
# epochs (at most epochs); fixed is the reference's schedule (replicate it with epochs: 20,
# learningRate: 0.0001, batchSize: 8, classPrior: uniform, init: reference). init: class-means
# starts at the nearest class mean classifier (kept if no trained epoch beats it on dev), reference
# is uniform +-0.05, xavier is Xavier-normal. classPrior: empirical adds log class frequencies to
# the probe's logits.
probe:
  schedule: ${v(d.probe.schedule)}
  epochs: ${v(d.probe.epochs)}
  learningRate: ${v(d.probe.learningRate)}
  batchSize: ${v(d.probe.batchSize)}
  tolerance: ${v(d.probe.tolerance)}
  patience: ${v(d.probe.patience)}
  init: ${v(d.probe.init)}
  classPrior: ${v(d.probe.classPrior)}
  k:
    upos: ${v(d.probe.k.upos)}
    deprel: ${v(d.probe.k.deprel)}

# Meta-learning: at most epochs x episodes per meta-training language, stopped early once validation
# accuracy has not risen by more than tolerance for patience epochs (the reference: learningRate 0.00005, 50 epochs, no
# early stopping); labels rarer than minCount are left out.
meta:
  epochs: ${v(d.meta.epochs)}
  patience: ${v(d.meta.patience)}
  tolerance: ${v(d.meta.tolerance)}
  episodesPerLanguage: ${v(d.meta.episodesPerLanguage)}
  querySize: ${v(d.meta.querySize)}
  learningRate: ${v(d.meta.learningRate)}
  minCount: ${v(d.meta.minCount)}

# Alignability of the languages' prototype spaces, with permutation p-values and the
# random-label control. prototypes: class-means (each label's mean vector in the model's space)
# or probe (each language's own probe prototypes, the reference); see docs/method.md.
# metrics: measure ids ('*' wildcards allowed, e.g. '*Cka'); measureOptions: options per measure;
# plugins: modules (relative to this file) that default-export more measures (docs/contributing.md).
# The registered measures:
${measureComments()}
alignability:
  prototypes: ${v(d.alignability.prototypes)}
  metrics: ${v(d.alignability.metrics)}
  # measureOptions: { rsa: { method: pearson } }
  # plugins: [./my-measure.mjs]
  permutations: ${v(d.alignability.permutations)}
  randomLabelControl: ${v(d.alignability.randomLabelControl)}

# Few-shot curves: target sentences per point, seeds per point; shots: [] turns them off.
# epochs caps the adapter fit (default: the adapter's own).
fewShot:
  shots: ${v(d.fewShot.shots)}
  seeds: ${v(d.fewShot.seeds)}

# Bootstrap confidence intervals over sentences.
bootstrap:
  resamples: ${v(d.bootstrap.resamples)}
  alpha: ${v(d.bootstrap.alpha)}

# In-context learning with a decoder ('xling icl <file>'; 'xling run' includes it): structured
# prompting accuracy per target with demonstrations from the source, the target or none, and the
# tag-position states as concepts. Leave it out for no ICL. model: a decoder folder built with
# 'xling model build'; layers: hidden states analysed (default: about 7/12 of its depth);
# metaLanguages: the map's meta-training languages (default: the first five metaLanguages).
# icl:
#   model: models/my-decoder
#   layers: [18]
#   k: ${v(icl.k)}
#   runs: ${v(icl.runs)}
#   demonstrations: ${v(icl.demonstrations)}
#   scoring: ${v(icl.scoring)}
#   labelForm: ${v(icl.labelForm)}
#   labelSet: ${v(icl.labelSet)}
#   maxSentences: ${v(icl.maxSentences)}
#   tasks: ${v(icl.tasks)}
#   metaLanguages: [en, de, fr, es, ru]

# Seed of every random choice; threads for onnxruntime (0 = all cores); worker processes per
# stage on this machine (0 = one per core); where onnxruntime runs (cpu | cuda). The last three
# do not change results and are in no hash.
seed: ${v(d.seed)}
threads: ${v(d.threads)}
workers: ${v(d.workers)}
device: ${v(d.device)}

# Resources of the jobs of '--executor slurm' (in no hash): defaults for every job, then per
# stage (extract, probe, align, meta-train, run, eval); the --slurm-* flags override both.
# slurm:
#   partition: gpu
#   time: '04:00:00'
#   mem: 32G
#   sbatch: [--account=mylab]
#   stages:
#     extract: { gpus: 1 }
#     probe: { cpus: 8, time: '01:00:00' }
`;
}
