import { measures } from '@xling/align';
import type { InvalidArgumentError } from '@xling/core';
import { DEVICES } from '@xling/extract';
import * as v from 'valibot';
import { issueKey, type ObjectMessages, type Schema, strictObject } from '../schema/strict-schemas.js';
import { type ConfigProblem, ConfigError } from './config-error.js';

/** Every message of the schema: "must be <what>, but got <value as JSON>". */
const mustBe = (what: string) => (issue: v.BaseIssue<unknown>) =>
  `must be ${what}, but got ${JSON.stringify(issue.input)}`;

const doc = <TSchema extends v.GenericSchema>(
  schema: TSchema,
  description: string,
): Schema<v.InferInput<TSchema>, v.InferOutput<TSchema>> => v.pipe(schema, v.description(description));

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function integer(min: number, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  const message = mustBe(`an integer in [${min}, ${max === Number.MAX_SAFE_INTEGER ? '∞' : max}]`);
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}
/** A number in (min, max]: a rate or a tolerance, never 0. */
function number(min: number, max: number): Schema<number> {
  const message = mustBe(`a number in (${min}, ${max}]`);
  return v.pipe(v.number(message), v.finite(message), v.gtValue(min, message), v.maxValue(max, message));
}
const fractionMessage = mustBe('a number in [0, 1]');
const fraction: Schema<number> = v.pipe(
  v.number(fractionMessage),
  v.finite(fractionMessage),
  v.minValue(0, fractionMessage),
  v.maxValue(1, fractionMessage),
);
const string: Schema<string> = v.pipe(
  v.string(mustBe('a non-empty string')),
  v.nonEmpty(mustBe('a non-empty string')),
);
const oneOf = <const TValues extends readonly string[]>(values: TValues): Schema<TValues[number]> =>
  v.picklist(values, mustBe(`one of ${values.map((x) => `'${x}'`).join(', ')}`));
const boolean: Schema<boolean> = v.boolean(mustBe('true or false'));

const hasNoRepeats = (items: readonly unknown[]) =>
  new Set(items.map((x) => JSON.stringify(x))).size === items.length;
function list<TItem extends v.GenericSchema>(
  item: TItem,
  minItems = 0,
): Schema<v.InferInput<TItem>[], v.InferOutput<TItem>[]> {
  const schema = v.pipe(
    v.array(item, (issue) => `must be a list, but got ${JSON.stringify(issue.input)}`),
    v.check((items: v.InferOutput<TItem>[]) => hasNoRepeats(items), 'must not repeat items'),
    v.metadata({ uniqueItems: true }),
  );
  if (minItems === 0) return schema;
  const message = (issue: v.MinLengthIssue<unknown[], number>) =>
    `must have at least ${minItems} item(s), but has ${issue.input.length}`;
  return v.pipe(schema, v.minLength(minItems, message));
}
const objectMessages: ObjectMessages = {
  notObject: (input) => `must be an object, but got ${JSON.stringify(input)}`,
  unknownKey: (known) => `is not a known key (known: ${known})`,
};
/** A section of the config: its keys have defaults, so it may be left out as a whole. */
const section = <const TEntries extends v.ObjectEntries>(entries: TEntries, description: string) =>
  v.optional(
    doc(strictObject(entries, objectMessages), description),
    // Every key of a section has a default, so {} is a whole section (valibot cannot see that here).
    {} as never,
  );

const languageMessage = mustBe("a language code such as 'en' or 'hsb'");
const language: Schema<string> = v.pipe(v.string(languageMessage), v.regex(/^[a-z]{2,3}$/, languageMessage));

// The model's name becomes a folder of the representation store: one plain name, no path.
const plainNameMessage = mustBe("a plain name (letters, digits, '.', '_', '-'; not starting with '.')");
const plainName: Schema<string> = v.pipe(
  v.string(plainNameMessage),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, plainNameMessage),
);

const modelMessage = (issue: v.BaseIssue<unknown>) =>
  issue.input === undefined
    ? 'is required: the model folder to extract representations from'
    : mustBe('a non-empty string')(issue);

/** A plain object of plain objects. Kept as given (a record schema would drop a `__proto__` key unseen). */
const isMeasureOptions = (value: unknown): value is Record<string, Record<string, unknown>> =>
  isObject(value) && Object.values(value).every(isObject);
const measureOptions: Schema<Record<string, Record<string, unknown>>> = v.pipe(
  v.custom<Record<string, Record<string, unknown>>>(
    isMeasureOptions,
    (issue) => `must map measure ids to objects of options, but got ${JSON.stringify(issue.input)}`,
  ),
  v.metadata({ type: 'object', additionalProperties: { type: 'object' } }),
  v.description("Options per measure id, e.g. { rsa: { method: 'pearson' } } (each measure lists its own)."),
);

const opt = v.optional;
const TASKS = ['upos', 'deprel'] as const;

/** The demonstration sources of the ICL stage (MEGA's settings). */
export const ICL_DEMONSTRATIONS = ['source', 'target', 'none'] as const;

// Optional as a whole (absent = no ICL); every key but model has a default.
const iclSection = opt(
  doc(
    strictObject(
      {
        model: doc(
          v.pipe(v.string(mustBe('a non-empty string')), v.nonEmpty(mustBe('a non-empty string'))),
          "Decoder model folder with a generation graph ('xling model build' on a LLaMA/Qwen/Mistral/GPT-2 checkpoint).",
        ),
        layers: opt(
          doc(
            list(integer(0, 1000), 1),
            "hidden_states indices of the decoder whose tag-position states are analysed as concepts (default: about 7/12 of the decoder's depth).",
          ),
        ),
        k: opt(doc(integer(0, 1000), 'Demonstrations per prompt.'), 10),
        runs: opt(doc(integer(1, 1000), 'Runs, each with its own seeded demonstration set.'), 5),
        demonstrations: opt(
          doc(
            list(oneOf(ICL_DEMONSTRATIONS), 1),
            "Demonstrations from the source language, from the target's fitting split (targets with one), or none.",
          ),
          [...ICL_DEMONSTRATIONS],
        ),
        scoring: opt(
          doc(
            oneOf(['mean', 'sum']),
            "A label's score: mean (Blevins et al.) or sum (MEGA) of its tokens' log-probabilities.",
          ),
          'mean',
        ),
        labelForm: opt(
          doc(oneOf(['strings', 'shuffled', 'integers', 'names']), 'How labels are written in the prompt.'),
          'strings',
        ),
        labelSet: opt(
          doc(
            oneOf(['all', 'seen']),
            "Candidate labels: all of the task, or those a run's demonstrations show.",
          ),
          'all',
        ),
        maxSentences: opt(
          doc(
            integer(1),
            'Most test sentences per language (a seeded sample above it); also caps the sentences whose states are collected.',
          ),
          200,
        ),
        tasks: opt(doc(list(oneOf(TASKS), 1), 'Tagging tasks.'), ['upos' as const]),
        metaLanguages: opt(
          doc(
            list(language, 1),
            "Languages the map over the ICL states is meta-trained on (default: the first five of the run's meta-training languages).",
          ),
        ),
      },
      objectMessages,
    ),
    'In-context learning with a decoder (docs/method.md section 7): structured-prompting accuracy per target and demonstration source, and the hidden states at the tag positions analysed as concepts. Leave it out for no ICL.',
  ),
);

/** The chain's stages a `slurm.stages` entry can name: its job array and its unsharded job. */
const SLURM_STAGES = ['extract', 'probe', 'align', 'meta-train', 'run', 'eval'] as const;

/** A value that goes into an `#SBATCH` line: one word, no shell or comment characters needed. */
export const SLURM_WORD = /^[\w.:=,@/+-]+$/;
/** One extra `#SBATCH` option, e.g. `--account=lab`. */
export const SBATCH_OPTION = /^--?[A-Za-z][\w-]*(=[^\n\r]*)?$/;

const slurmWordMessage = mustBe('one word of letters, digits and . : = , @ / + -');
const slurmWord: Schema<string> = v.pipe(v.string(slurmWordMessage), v.regex(SLURM_WORD, slurmWordMessage));
// A time in minutes, memory in megabytes or a GPU count is a number in YAML.
const slurmAmount: Schema<number | string> = v.union(
  [integer(1), slurmWord],
  mustBe('a positive integer or one word of letters, digits and . : = , @ / + -'),
);
const sbatchOptionMessage = mustBe("one sbatch option such as '--account=lab'");
const sbatchOption: Schema<string> = v.pipe(
  v.string(sbatchOptionMessage),
  v.regex(SBATCH_OPTION, sbatchOptionMessage),
);
const slurmJob = strictObject(
  {
    partition: opt(doc(slurmWord, 'Partition (#SBATCH --partition).')),
    time: opt(doc(slurmAmount, 'Time limit (--time), e.g. 04:00:00, or minutes.')),
    cpus: opt(doc(integer(1), 'CPUs per task (--cpus-per-task).')),
    mem: opt(doc(slurmAmount, 'Memory (--mem), e.g. 32G, or megabytes.')),
    gpus: opt(doc(slurmAmount, 'GPUs per task (--gpus-per-task), e.g. 1 or a100:1.')),
    sbatch: opt(doc(list(sbatchOption), "Extra '#SBATCH <option>' lines, e.g. --account=lab.")),
  },
  objectMessages,
);
const slurmStages = strictObject(
  Object.fromEntries(SLURM_STAGES.map((stage) => [stage, opt(slurmJob)])) as Record<
    (typeof SLURM_STAGES)[number],
    v.OptionalSchema<typeof slurmJob, undefined>
  >,
  objectMessages,
);
// Optional as a whole (absent = the CLI's flags only); in no key: resources do not change results.
const slurmSection = opt(
  doc(
    strictObject(
      {
        ...slurmJob.entries,
        stages: opt(
          doc(
            slurmStages,
            "Resources per stage, for its job array and its unsharded job; over the defaults above (sbatch lines are added to theirs). 'meta-train' is 'xling meta train'.",
          ),
        ),
      },
      objectMessages,
    ),
    "#SBATCH resources of the jobs '--executor slurm' submits (docs/scale.md): defaults for every job (gpus only for the jobs that run a model), then per stage; the --slurm-* and --sbatch flags override both for every job. Does not change results.",
  ),
);

/** Parts of the config schema that its JSON Schema names once under $defs (json-schemas.ts). */
export const experimentConfigParts = { SlurmResources: slurmJob };

/**
 * The experiment config: every key, its constraint, its default and its description. JSON/YAML keys
 * are these names; every key but `model` has a default. {@link ExperimentConfig} is inferred from it,
 * and `schemas/experiment-config.schema.json` is generated from it.
 */
export const experimentConfigSchema = v.pipe(
  strictObject(
    {
      title: opt(doc(string, 'Report title.'), 'xling experiment report'),
      model: doc(
        v.pipe(v.string(modelMessage), v.nonEmpty(modelMessage)),
        'Model folder in the Hugging Face layout with an ONNX graph (see @xling/extract).',
      ),
      modelName: opt(doc(plainName, 'Model name used in store keys and reports (default: the folder name).')),
      udDir: opt(
        doc(
          string,
          'UD directory (MANIFEST layout or a UD release); default: env XLING_UD_DIR, else ../shared/data/ud.',
        ),
      ),
      outDir: opt(
        doc(string, 'Output folder: store/ (representations) and runs/<config hash>/ (caches, report).'),
        'xling-out',
      ),
      layers: opt(
        doc(
          list(integer(0, 1000), 1),
          'Layers to analyse; the first is the main layer (zero-shot, few-shot); all go into the layer sweep.',
        ),
        [7],
      ),
      pooling: opt(doc(oneOf(['first', 'last', 'mean']), "Sub-word pooling (default: the model family's).")),
      overflow: opt(
        doc(
          oneOf(['skip', 'window']),
          "Sentences longer than the model's limit: skip them (METHOD.md) or cut them into windows of whole words.",
        ),
        'skip',
      ),
      tasks: opt(doc(list(oneOf(TASKS), 1), 'Concept tasks.'), [...TASKS]),
      sourceLanguage: opt(
        doc(language, 'Source language: its prototypes are the target of every map.'),
        'en',
      ),
      metaLanguages: opt(
        doc(
          list(language, 1),
          "Meta-training languages (default: the study's meta-training languages with data).",
        ),
      ),
      validationLanguages: opt(
        doc(
          list(language),
          'Validation languages for model selection; targets are removed from it (no leak).',
        ),
      ),
      targetLanguages: opt(
        doc(list(language), "Zero-shot target languages (default: the study's targets with a test split)."),
      ),
      lowResourceTreebanks: opt(
        doc(
          list(string),
          'Extra zero-shot targets by treebank name, usually test-only low-resource treebanks.',
        ),
      ),
      maxFitSentences: opt(
        doc(
          integer(10),
          'Most sentences read per language for fitting (probes, meta-training); a seeded sample above it.',
        ),
        2000,
      ),
      maxTestSentences: opt(doc(integer(10), 'Most sentences per language for testing.'), 1000),
      probe: section(
        {
          schedule: opt(oneOf(['converge', 'fixed']), 'converge'),
          epochs: opt(integer(1, 10_000), 200),
          learningRate: opt(number(0, 1), 3e-3),
          batchSize: opt(integer(1, 10_000), 32),
          tolerance: opt(number(0, 1), 1e-3),
          patience: opt(integer(1, 1000), 5),
          init: opt(
            doc(
              oneOf(['class-means', 'reference', 'xavier']),
              "'class-means' starts at the nearest class mean classifier and lets it compete with the trained epochs on dev; 'reference' is the reference's uniform [-0.05, 0.05] (use it with schedule 'fixed' to replicate).",
            ),
            'class-means',
          ),
          classPrior: opt(
            doc(
              oneOf(['empirical', 'uniform']),
              "'empirical' adds log class priors to the probe's logits; 'uniform' is the reference's nearest prototype.",
            ),
            'empirical',
          ),
          k: section(
            { upos: opt(integer(2, 4096), 32), deprel: opt(integer(2, 4096), 64) },
            'Probe rank per task.',
          ),
        },
        "Linear probe training (METHOD.md section 3). schedule 'converge' trains until the loss stops improving by tolerance for patience epochs (at most epochs); 'fixed' is the reference's schedule (exactly epochs, cosine decay; the reference used 20 epochs, lr 1e-4, batch 8).",
      ),
      meta: section(
        {
          epochs: opt(integer(1, 1000), 50),
          patience: opt(integer(1, 1000), 5),
          tolerance: opt(fraction, 0.002),
          episodesPerLanguage: opt(integer(1, 100_000), 50),
          querySize: opt(integer(1, 10_000), 30),
          learningRate: opt(number(0, 1), 1e-3),
          minCount: opt(integer(1), 10),
        },
        'Meta-learning (METHOD.md section 5). At most epochs; early stopping ends sooner once validation accuracy has not risen by more than tolerance for patience epochs.',
      ),
      alignability: section(
        {
          prototypes: opt(
            doc(
              oneOf(['class-means', 'probe']),
              "The concept prototypes compared: 'class-means' (each label's mean vector in the model's space) or 'probe' (W^T mu of each language's own probe, the reference).",
            ),
            'class-means',
          ),
          metrics: opt(
            doc(
              list(string, 1),
              'Measure ids of the registry (measures of @xling/align, plugins included); * wildcards are expanded.',
            ),
            ['procrustes', 'rsa', 'linearCka'],
          ),
          measureOptions: opt(measureOptions),
          plugins: opt(
            doc(
              list(string),
              'Modules that default-export a measure (or a list of them), registered before the config is checked; paths relative to the config file.',
            ),
          ),
          permutations: opt(integer(0, 1_000_000), 199),
          randomLabelControl: opt(boolean, true),
        },
        "Alignability between languages' prototype spaces (METHOD.md section 4).",
      ),
      fewShot: section(
        {
          shots: opt(list(integer(1, 100_000)), [1, 2, 5, 10, 20, 50]),
          seeds: opt(list(integer(0), 1), [1, 2, 3]),
          epochs: opt(doc(integer(1, 10_000), "Caps the adapter fit (default: the adapter's own).")),
        },
        'Few-shot curves; shots: [] turns them off.',
      ),
      bootstrap: section(
        { resamples: opt(integer(10, 1_000_000), 1000), alpha: opt(number(0, 0.5), 0.05) },
        'Bootstrap intervals over sentences.',
      ),
      icl: iclSection,
      seed: opt(
        doc(integer(0, 2 ** 32 - 1), 'Seed of every random choice (samples, probes, episodes, bootstrap).'),
        0,
      ),
      threads: opt(doc(integer(0, 1024), 'onnxruntime threads; 0 = all cores. Does not change results.'), 0),
      workers: opt(
        doc(
          integer(0, 1024),
          "Processes the CLI runs side by side, each on its shard of every stage (docs/scale.md); 0 = one per core. The library's runExperiment is one process. Does not change results.",
        ),
        1,
      ),
      device: opt(
        doc(
          oneOf(DEVICES),
          "Where onnxruntime runs the models (extraction and ICL decoding): 'cpu', or 'cuda' (an NVIDIA GPU; needs onnxruntime-node's CUDA files, see 'xling doctor'). Not in the run's hash: it changes only low bits of the hidden states.",
        ),
        'cpu',
      ),
      slurm: slurmSection,
    },
    objectMessages,
  ),
  v.title('xling experiment config'),
  v.description(
    'Everything an experiment run depends on (YAML or JSON). Every key but model has a default; the run is keyed by a hash of the resolved config (without outDir, udDir, threads, workers and slurm, which do not change results, and device, which changes only low bits of the hidden states).',
  ),
);

/** A concept task. */
export type ExperimentTask = (typeof TASKS)[number];

/**
 * Everything an experiment run depends on, with every default filled in (see
 * {@link experimentConfigSchema} for each key). The run is keyed by a hash of the resolved config
 * (without `outDir`, `udDir`, `threads`, `workers` and `slurm`, which do not change results, and `device`,
 * which changes only low bits of the hidden states; config-hash.ts says why).
 */
export type ExperimentConfig = v.InferOutput<typeof experimentConfigSchema>;

/** Defaults: METHOD.md's settings where they are affordable on a laptop, smaller where marked. */
export const DEFAULT_EXPERIMENT_CONFIG: Omit<ExperimentConfig, 'model'> = (() => {
  const { model: _, ...defaults } = v.parse(experimentConfigSchema, { model: 'model' });
  return defaults;
})();

/** The `icl` section with every default filled in (see {@link experimentConfigSchema}). */
export type IclConfig = NonNullable<ExperimentConfig['icl']>;

/** The `icl` section's defaults (`layers` and `metaLanguages` are resolved against the models and languages). */
export const DEFAULT_ICL_CONFIG: Omit<IclConfig, 'model'> = (() => {
  const { model: _, ...defaults } = v.parse(experimentConfigSchema, {
    model: 'model',
    icl: { model: 'decoder' },
  }).icl!;
  return defaults;
})();

/** Where an issue's key sits in the input: the index of each key of its path; a missing key goes last. */
function inputPosition(input: unknown, issue: v.BaseIssue<unknown>): number[] {
  const position: number[] = [];
  let value = input;
  for (const { key } of issue.path ?? []) {
    const index = Array.isArray(value)
      ? Number(key)
      : isObject(value)
        ? Object.keys(value).indexOf(String(key))
        : -1;
    position.push(index < 0 ? Number.POSITIVE_INFINITY : index);
    value = index < 0 ? undefined : (value as Record<string, unknown>)[key as string];
  }
  return position;
}

function compareInputPositions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

/**
 * The schema's problems in the order of the input's keys (missing keys last), like the file reads;
 * a value that breaks several parts of one constraint is named once.
 */
function schemaProblems(input: unknown, issues: readonly v.BaseIssue<unknown>[]): ConfigProblem[] {
  const sorted = issues
    .map((issue) => ({ issue, position: inputPosition(input, issue) }))
    .sort((a, b) => compareInputPositions(a.position, b.position));
  const problems: ConfigProblem[] = [];
  for (const { issue } of sorted) {
    const problem = { key: issueKey(issue) || '(root)', message: issue.message };
    const last = problems.at(-1);
    if (last?.key !== problem.key || last.message !== problem.message) problems.push(problem);
  }
  return problems;
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
  const parsed = v.safeParse(experimentConfigSchema, input);
  // Nothing of a config with a problem is used, so no key of it can reach Object.prototype.
  if (!parsed.success) throw new ConfigError(file, schemaProblems(input, parsed.issues));
  const config = parsed.output;
  const problems: ConfigProblem[] = [];
  {
    const targets = new Set(config.targetLanguages ?? []);
    for (const [i, l] of (config.metaLanguages ?? []).entries()) {
      if (targets.has(l))
        problems.push({
          key: `metaLanguages[${i}]`,
          message: `'${l}' is also a target language: a zero-shot target must not be meta-trained on`,
        });
    }
    for (const [i, l] of (config.icl?.metaLanguages ?? []).entries()) {
      if (targets.has(l))
        problems.push({
          key: `icl.metaLanguages[${i}]`,
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
