import { measures } from '@xling/align';
import type { InvalidArgumentError } from '@xling/core';
import { type ConfigProblem, ConfigError } from './config-error.js';

/** A concept task. */
export type ExperimentTask = 'upos' | 'deprel';

/**
 * Everything an experiment run depends on. JSON/YAML keys are these names; every key but `model`
 * has a default (see {@link DEFAULT_EXPERIMENT_CONFIG}). The run is keyed by a hash of the
 * resolved config (without `outDir`, `udDir` and `threads`, which do not change results).
 */
export interface ExperimentConfig {
  /** Report title. */
  title: string;
  /** Model folder in the Hugging Face layout with an ONNX graph (see @xling/extract). */
  model: string;
  /** Model name used in store keys and reports. @defaultValue the folder name */
  modelName?: string;
  /** UD directory (MANIFEST layout or a UD release). @defaultValue env XLING_UD_DIR, else ../shared/data/ud */
  udDir?: string;
  /** Output folder: `store/` (representations) and `runs/<config hash>/` (caches, report). */
  outDir: string;
  /** Layers to analyse; the first is the main layer (zero-shot, few-shot); all go into the layer sweep. */
  layers: number[];
  /** Sub-word pooling. @defaultValue the model family's default */
  pooling?: 'first' | 'last' | 'mean';
  /** Sentences longer than the model's limit: `skip` (METHOD.md) or cut into `window`s of whole words. */
  overflow: 'skip' | 'window';
  /** Tasks. */
  tasks: ExperimentTask[];
  /** Source language: its prototypes are the target of every map. */
  sourceLanguage: string;
  /** Meta-training languages (default: the study's meta-training languages with data). */
  metaLanguages?: string[];
  /** Validation languages for model selection; targets are removed from it (no leak). */
  validationLanguages?: string[];
  /** Zero-shot target languages (default: the study's targets with a test split). */
  targetLanguages?: string[];
  /** Extra zero-shot targets by treebank name, usually test-only low-resource treebanks. */
  lowResourceTreebanks?: string[];
  /** Most sentences read per language for fitting (probes, meta-training); a seeded sample above it. */
  maxFitSentences: number;
  /** Most sentences per language for testing. */
  maxTestSentences: number;
  /**
   * Linear probe training (METHOD.md section 3; @xling/meta's LinearProbe). `schedule: 'converge'`
   * trains until the loss stops improving by `tolerance` for `patience` epochs (at most `epochs`);
   * `'fixed'` is the reference's schedule (exactly `epochs`, cosine decay; the reference used 20
   * epochs, lr 1e-4, batch 8).
   */
  probe: {
    schedule: 'converge' | 'fixed';
    epochs: number;
    learningRate: number;
    batchSize: number;
    tolerance: number;
    patience: number;
    init: 'reference' | 'xavier';
    /** `empirical` adds log class priors to the probe's logits; `uniform` is the reference's nearest prototype. */
    classPrior: 'empirical' | 'uniform';
    k: { upos: number; deprel: number };
  };
  /** Meta-learning (METHOD.md section 5). */
  meta: {
    /**
     * Most epochs; early stopping ends sooner once validation accuracy has not risen by more than
     * `tolerance` for `patience` epochs.
     */
    epochs: number;
    patience: number;
    tolerance: number;
    episodesPerLanguage: number;
    querySize: number;
    learningRate: number;
    minCount: number;
  };
  /** Alignability between languages' prototype spaces (METHOD.md section 4). */
  alignability: {
    /**
     * The concept prototypes compared: `class-means` (each label's mean vector in the model's
     * space) or `probe` (W^T mu of each language's own probe, the reference). docs/method.md has
     * the known-answer experiment behind the default.
     */
    prototypes: 'class-means' | 'probe';
    /**
     * Measure ids of the registry (`measures` of @xling/align, plugins included); `*` wildcards
     * are expanded when the config is resolved.
     */
    metrics: string[];
    /** Options per measure id, e.g. `{ rsa: { method: 'pearson' } }` (each measure lists its own). */
    measureOptions?: Record<string, Record<string, unknown>>;
    /**
     * Modules that default-export a measure (or a list of them), registered before the config is
     * checked; paths relative to the config file. `loadExperimentConfig` loads them.
     */
    plugins?: string[];
    permutations: number;
    randomLabelControl: boolean;
  };
  /** Few-shot curves; `shots: []` turns them off. `epochs` caps the adapter fit (default: the adapter's own). */
  fewShot: { shots: number[]; seeds: number[]; epochs?: number };
  /** Bootstrap intervals over sentences. */
  bootstrap: { resamples: number; alpha: number };
  /** Seed of every random choice (samples, probes, episodes, bootstrap). */
  seed: number;
  /** onnxruntime threads; 0 = all cores. Does not change results. */
  threads: number;
}

/** Defaults: METHOD.md's settings where they are affordable on a laptop, smaller where marked. */
export const DEFAULT_EXPERIMENT_CONFIG: Omit<ExperimentConfig, 'model'> = {
  title: 'xling experiment report',
  outDir: 'xling-out',
  layers: [7],
  overflow: 'skip',
  tasks: ['upos', 'deprel'],
  sourceLanguage: 'en',
  maxFitSentences: 2000,
  maxTestSentences: 1000,
  probe: {
    schedule: 'converge',
    epochs: 200,
    learningRate: 3e-3,
    batchSize: 32,
    tolerance: 1e-3,
    patience: 5,
    init: 'reference',
    classPrior: 'empirical',
    k: { upos: 32, deprel: 64 },
  },
  meta: {
    epochs: 50,
    patience: 5,
    tolerance: 0.002,
    episodesPerLanguage: 50,
    querySize: 30,
    learningRate: 1e-3,
    minCount: 10,
  },
  alignability: {
    prototypes: 'class-means',
    metrics: ['procrustes', 'rsa', 'linearCka'],
    permutations: 199,
    randomLabelControl: true,
  },
  fewShot: { shots: [1, 2, 5, 10, 20, 50], seeds: [1, 2, 3] },
  bootstrap: { resamples: 1000, alpha: 0.05 },
  seed: 0,
  threads: 0,
};

type Shape = Record<string, (value: unknown, key: string, problems: ConfigProblem[]) => void>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (v: unknown, key: string, p: ConfigProblem[]) => {
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      p.push({
        key,
        message: `must be an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}], but got ${JSON.stringify(v)}`,
      });
    }
  };
}
function number(min: number, max: number) {
  return (v: unknown, key: string, p: ConfigProblem[]) => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= min || v > max) {
      p.push({ key, message: `must be a number in (${min}, ${max}], but got ${JSON.stringify(v)}` });
    }
  };
}
function fraction(v: unknown, key: string, p: ConfigProblem[]) {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1)
    p.push({ key, message: `must be a number in [0, 1], but got ${JSON.stringify(v)}` });
}
function string(v: unknown, key: string, p: ConfigProblem[]) {
  if (typeof v !== 'string' || v.length === 0)
    p.push({ key, message: `must be a non-empty string, but got ${JSON.stringify(v)}` });
}
function oneOf(values: readonly string[]) {
  return (v: unknown, key: string, p: ConfigProblem[]) => {
    if (typeof v !== 'string' || !values.includes(v)) {
      p.push({
        key,
        message: `must be one of ${values.map((x) => `'${x}'`).join(', ')}, but got ${JSON.stringify(v)}`,
      });
    }
  };
}
function boolean(v: unknown, key: string, p: ConfigProblem[]) {
  if (typeof v !== 'boolean') p.push({ key, message: `must be true or false, but got ${JSON.stringify(v)}` });
}
function list(item: (v: unknown, key: string, p: ConfigProblem[]) => void, minItems = 0) {
  return (v: unknown, key: string, p: ConfigProblem[]) => {
    if (!Array.isArray(v)) {
      p.push({ key, message: `must be a list, but got ${JSON.stringify(v)}` });
      return;
    }
    if (v.length < minItems)
      p.push({ key, message: `must have at least ${minItems} item(s), but has ${v.length}` });
    v.forEach((x, i) => {
      item(x, `${key}[${i}]`, p);
    });
    if (new Set(v.map((x) => JSON.stringify(x))).size !== v.length)
      p.push({ key, message: 'must not repeat items' });
  };
}
function object(shape: Shape) {
  return (v: unknown, key: string, p: ConfigProblem[]) => {
    if (!isObject(v)) {
      p.push({ key, message: `must be an object, but got ${JSON.stringify(v)}` });
      return;
    }
    checkShape(v, shape, `${key}.`, p);
  };
}

function checkShape(value: Record<string, unknown>, shape: Shape, prefix: string, p: ConfigProblem[]): void {
  for (const [k, v] of Object.entries(value)) {
    // Own keys only: `constructor` or `toString` must not find Object.prototype's members.
    const check = Object.hasOwn(shape, k) ? shape[k] : undefined;
    if (!check) {
      p.push({
        key: `${prefix}${k}`,
        message: `is not a known key (known: ${Object.keys(shape).join(', ')})`,
      });
      continue;
    }
    if (v !== undefined) check(v, `${prefix}${k}`, p);
  }
}

const language = (v: unknown, key: string, p: ConfigProblem[]) => {
  if (typeof v !== 'string' || !/^[a-z]{2,3}$/.test(v)) {
    p.push({ key, message: `must be a language code such as 'en' or 'hsb', but got ${JSON.stringify(v)}` });
  }
};

// The model's name becomes a folder of the representation store: one plain name, no path.
const plainName = (v: unknown, key: string, p: ConfigProblem[]) => {
  if (typeof v !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(v)) {
    p.push({
      key,
      message: `must be a plain name (letters, digits, '.', '_', '-'; not starting with '.'), but got ${JSON.stringify(v)}`,
    });
  }
};

const SHAPE: Shape = {
  title: string,
  model: string,
  modelName: plainName,
  udDir: string,
  outDir: string,
  layers: list(integer(0, 1000), 1),
  pooling: oneOf(['first', 'last', 'mean']),
  overflow: oneOf(['skip', 'window']),
  tasks: list(oneOf(['upos', 'deprel']), 1),
  sourceLanguage: language,
  metaLanguages: list(language, 1),
  validationLanguages: list(language),
  targetLanguages: list(language),
  lowResourceTreebanks: list(string),
  maxFitSentences: integer(10),
  maxTestSentences: integer(10),
  probe: object({
    schedule: oneOf(['converge', 'fixed']),
    epochs: integer(1, 10_000),
    learningRate: number(0, 1),
    batchSize: integer(1, 10_000),
    tolerance: number(0, 1),
    patience: integer(1, 1000),
    init: oneOf(['reference', 'xavier']),
    classPrior: oneOf(['empirical', 'uniform']),
    k: object({ upos: integer(2, 4096), deprel: integer(2, 4096) }),
  }),
  meta: object({
    epochs: integer(1, 1000),
    patience: integer(1, 1000),
    tolerance: fraction,
    episodesPerLanguage: integer(1, 100_000),
    querySize: integer(1, 10_000),
    learningRate: number(0, 1),
    minCount: integer(1),
  }),
  alignability: object({
    prototypes: oneOf(['class-means', 'probe']),
    metrics: list(string, 1),
    measureOptions: (v, key, p) => {
      if (!isObject(v) || !Object.values(v).every(isObject))
        p.push({ key, message: `must map measure ids to objects of options, but got ${JSON.stringify(v)}` });
    },
    plugins: list(string),
    permutations: integer(0, 1_000_000),
    randomLabelControl: boolean,
  }),
  fewShot: object({
    shots: list(integer(1, 100_000)),
    seeds: list(integer(0), 1),
    epochs: integer(1, 10_000),
  }),
  bootstrap: object({ resamples: integer(10, 1_000_000), alpha: number(0, 0.5) }),
  seed: integer(0, 2 ** 32 - 1),
  threads: integer(0, 1024),
};

function merge<T>(defaults: T, value: unknown): T {
  if (!isObject(defaults) || !isObject(value)) return (value === undefined ? defaults : value) as T;
  const out: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(value)) out[k] = merge((defaults as Record<string, unknown>)[k], v);
  return out as T;
}

/**
 * Validates a config object (parsed from JSON or YAML) and fills in the defaults. Every problem is
 * reported at once, each with its key path and the reason.
 *
 * @param input - the parsed config
 * @param file - the config's file name, for messages
 * @throws XLING_CONFIG listing every unknown key, wrong type, out-of-range value or conflict.
 */
export function resolveExperimentConfig(input: unknown, file = '<config>'): ExperimentConfig {
  const problems: ConfigProblem[] = [];
  if (!isObject(input))
    throw new ConfigError(file, [
      { key: '(root)', message: `must be an object, but got ${JSON.stringify(input)}` },
    ]);
  checkShape(input, SHAPE, '', problems);
  if (input.model === undefined)
    problems.push({ key: 'model', message: 'is required: the model folder to extract representations from' });
  // Merge only a config whose keys are all known, so no key can reach Object.prototype.
  if (problems.length > 0) throw new ConfigError(file, problems);
  const config = merge(DEFAULT_EXPERIMENT_CONFIG, input) as ExperimentConfig;
  {
    const targets = new Set(config.targetLanguages ?? []);
    for (const [i, l] of (config.metaLanguages ?? []).entries()) {
      if (targets.has(l))
        problems.push({
          key: `metaLanguages[${i}]`,
          message: `'${l}' is also a target language: a zero-shot target must not be meta-trained on`,
        });
    }
    if (targets.has(config.sourceLanguage)) {
      problems.push({
        key: 'targetLanguages',
        message: `must not contain the source language '${config.sourceLanguage}'`,
      });
    }
  }
  checkMeasures(config, problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

/**
 * Expands `alignability.metrics` against the measure registry and checks each measure's options
 * there, so a new measure (built in or plugged in) needs no edit here.
 */
function checkMeasures(config: ExperimentConfig, problems: ConfigProblem[]): void {
  const a = config.alignability;
  const ids: string[] = [];
  a.metrics.forEach((pattern, i) => {
    try {
      for (const m of measures.select([pattern])) if (!ids.includes(m.id)) ids.push(m.id);
    } catch {
      const known = measures
        .list()
        .map((m) => `'${m.id}'`)
        .join(', ');
      problems.push({
        key: `alignability.metrics[${i}]`,
        message: `must name a registered measure (${known}), but got ${JSON.stringify(pattern)}`,
      });
    }
  });
  config.alignability = { ...a, metrics: ids };
  for (const [id, given] of Object.entries(a.measureOptions ?? {})) {
    const key = `alignability.measureOptions.${id}`;
    if (!ids.includes(id)) {
      problems.push({
        key,
        message: `names a measure that is not in alignability.metrics (${ids.join(', ')})`,
      });
      continue;
    }
    try {
      measures.resolveOptions(measures.get(id), given, 'config');
    } catch (error) {
      // "Argument 'options.k' passed to 'config' must be ..." -> key ...measureOptions.<id>.k
      const e = error as InvalidArgumentError;
      const option = e.argument?.replace(/^options\.?/, '');
      const problem = e.message.slice(e.message.indexOf(`'${e.functionName}'`) + e.functionName.length + 3);
      problems.push({ key: option ? `${key}.${option}` : key, message: problem.replace(/\.$/, '') });
    }
  }
}
