// Zero-shot concept classification on target languages, end to end with @xling/eval: every
// method of the study — the majority class, a classifier trained on the source and applied
// unchanged (source centroids), the nearest source prototype without a map, target prototypes
// mapped by Procrustes, the meta-learned zero-shot map, and the in-language probe as a ceiling —
// scored by word accuracy with bootstrap intervals, on targets the meta-learner never saw.
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ZeroShotScore, ZERO_SHOT_METHODS, resolveExperimentConfig, runExperiment } from '@xling/eval';
import { readModelFolder } from '@xling/extract';

/** The repository's default model (trained by tools/mini-encoder). */
export const DEFAULT_MODEL = resolve(import.meta.dirname, '../../models/xling-mini-encoder');

/** Settings of {@link main}; the defaults take a few minutes on two cores. */
export interface ZeroShotExampleOptions {
  /** Model folder (Hugging Face layout: onnx/model.onnx, or a checkpoint it is built from). @defaultValue the repository's default model */
  model?: string;
  /** Output folder (store and runs). @defaultValue `xling-out` beside this file */
  outDir?: string;
  /** UD directory. @defaultValue $XLING_UD_DIR, else ../shared/data/ud next to the repository */
  udDir?: string;
  /** Meta-training languages (the source, English, is always one). @defaultValue en de es ru */
  metaLanguages?: string[];
  /** Validation languages for model selection. @defaultValue fr */
  validationLanguages?: string[];
  /** Zero-shot targets. @defaultValue cy mr */
  targetLanguages?: string[];
  /** Test-only low-resource treebanks scored as extra targets. @defaultValue UD_Warlpiri-UFAL */
  lowResourceTreebanks?: string[];
  /** Tasks. @defaultValue upos, deprel */
  tasks?: Array<'upos' | 'deprel'>;
  /** Sentences per language for fitting, and for testing. @defaultValue 300, 200 */
  maxFitSentences?: number;
  maxTestSentences?: number;
  /** Most probe epochs (probes stop once converged); most meta-learning epochs (early stopping) x episodes per language. @defaultValue 200; 50 x 10 */
  probeEpochs?: number;
  metaEpochs?: number;
  episodesPerLanguage?: number;
  /** Bootstrap resamples of the intervals. @defaultValue 200 */
  resamples?: number;
  /** Sentences longer than the model's limit: skip or cut into windows. @defaultValue 'window' */
  overflow?: 'skip' | 'window';
  /** Where the lines go. @defaultValue console.log */
  log?: (line: string) => void;
}

const METHODS = Object.keys(ZERO_SHOT_METHODS);

/** Runs the experiment without few-shot curves and prints accuracy per target, method and task. */
export async function main(options: ZeroShotExampleOptions = {}): Promise<ZeroShotScore[]> {
  const {
    model = DEFAULT_MODEL,
    outDir = join(import.meta.dirname, 'xling-out'),
    metaLanguages = ['en', 'de', 'es', 'ru'],
    validationLanguages = ['fr'],
    targetLanguages = ['cy', 'mr'],
    lowResourceTreebanks = ['UD_Warlpiri-UFAL'],
    tasks = ['upos', 'deprel'],
    maxFitSentences = 300,
    maxTestSentences = 200,
    probeEpochs = 200,
    metaEpochs = 50,
    episodesPerLanguage = 10,
    resamples = 200,
    overflow = 'window',
    log = console.log,
  } = options;
  const folder = await readModelFolder(model);
  const layer = Math.max(1, Math.round((7 * folder.numLayers) / 12));
  const config = resolveExperimentConfig({
    title: 'example: zero-shot',
    model,
    outDir,
    ...(options.udDir ? { udDir: options.udDir } : {}),
    layers: [layer],
    overflow,
    tasks,
    sourceLanguage: 'en',
    metaLanguages,
    validationLanguages,
    targetLanguages,
    lowResourceTreebanks,
    maxFitSentences,
    maxTestSentences,
    probe: { epochs: probeEpochs },
    meta: { epochs: metaEpochs, episodesPerLanguage },
    alignability: { permutations: 0 },
    fewShot: { shots: [] },
    bootstrap: { resamples },
  });
  const run = await runExperiment(config);
  const scores = run.result?.zeroShot ?? [];

  log(
    `Model ${relative(process.cwd(), folder.dir)} (layer ${layer}); report: ${relative(process.cwd(), run.report!.html)}`,
  );
  for (const task of tasks) {
    const rows = scores.filter((s) => s.task === task);
    const languages = [...new Set(rows.map((s) => s.language))];
    log('');
    log(
      `${task.toUpperCase()} word accuracy, % [95% bootstrap interval]; '-' = not applicable (no fitting split):`,
    );
    log(['method'.padEnd(17), ...languages.map((l) => l.padStart(20))].join(''));
    for (const method of METHODS) {
      const cells = languages.map((language) => {
        const s = rows.find((r) => r.language === language && r.method === method);
        if (!s) return '-'.padStart(20);
        const ci = s.ci ? ` [${(100 * s.ci.lower).toFixed(0)}, ${(100 * s.ci.upper).toFixed(0)}]` : '';
        return `${(100 * s.accuracy).toFixed(1)}${ci}`.padStart(20);
      });
      log([method.padEnd(17), ...cells].join(''));
    }
  }
  return scores;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const model = process.argv[2];
  await main(model ? { model: resolve(model) } : {}).catch((error: Error) => {
    console.error(`error: ${error.message}`);
    if (!model)
      console.error('The default model is models/xling-mini-encoder; pass another: pnpm start <model-dir>');
    process.exitCode = 1;
  });
}
