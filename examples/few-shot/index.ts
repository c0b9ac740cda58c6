// Few-shot curves, end to end with @xling/eval: for N target-language sentences (N = 1, 5, 20 by
// default) and several seeds, the meta-learned few-shot adapter (the language adapter trained
// across the meta-training languages, adapted on the N sentences) against a probe trained on the
// same N sentences alone, scored on the target's test split; mean and interval over seeds.
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type FewShotCurve, resolveExperimentConfig, runExperiment } from '@xling/eval';
import { readModelFolder } from '@xling/extract';

/** The repository's default model (trained by tools/mini-encoder). */
export const DEFAULT_MODEL = resolve(import.meta.dirname, '../../models/xling-mini-encoder');

/** Settings of {@link main}; the defaults take a few minutes on two cores. */
export interface FewShotExampleOptions {
  /** Model folder (Hugging Face layout: onnx/model.onnx, or a checkpoint it is built from). @defaultValue the repository's default model */
  model?: string;
  /** Output folder (store and runs). @defaultValue `xling-out` beside this file */
  outDir?: string;
  /** UD directory. @defaultValue $XLING_UD_DIR, else ../shared/data/ud next to the repository */
  udDir?: string;
  /** Meta-training languages (the source, English, is always one). @defaultValue en de es ru */
  metaLanguages?: string[];
  /** Targets with a fitting split to draw the N sentences from. @defaultValue cy mr */
  targetLanguages?: string[];
  /** Tasks. @defaultValue upos */
  tasks?: Array<'upos' | 'deprel'>;
  /** Target sentences per point. @defaultValue [1, 5, 20] */
  shots?: number[];
  /** Seeds per point. @defaultValue [1, 2, 3] */
  seeds?: number[];
  /** Most adaptation epochs. @defaultValue the adapter's own */
  epochs?: number;
  /** Sentences per language for fitting, and for testing. @defaultValue 300, 200 */
  maxFitSentences?: number;
  maxTestSentences?: number;
  /** Most probe epochs (probes stop once converged); most meta-learning epochs (early stopping) x episodes per language. @defaultValue 200; 50 x 10 */
  probeEpochs?: number;
  metaEpochs?: number;
  episodesPerLanguage?: number;
  /** Sentences longer than the model's limit: skip or cut into windows. @defaultValue 'window' */
  overflow?: 'skip' | 'window';
  /** Where the lines go. @defaultValue console.log */
  log?: (line: string) => void;
}

/** Runs the experiment with few-shot curves and prints them. */
export async function main(options: FewShotExampleOptions = {}): Promise<FewShotCurve[]> {
  const {
    model = DEFAULT_MODEL,
    outDir = join(import.meta.dirname, 'xling-out'),
    metaLanguages = ['en', 'de', 'es', 'ru'],
    targetLanguages = ['cy', 'mr'],
    tasks = ['upos'],
    shots = [1, 5, 20],
    seeds = [1, 2, 3],
    epochs,
    maxFitSentences = 300,
    maxTestSentences = 200,
    probeEpochs = 200,
    metaEpochs = 50,
    episodesPerLanguage = 10,
    overflow = 'window',
    log = console.log,
  } = options;
  const folder = await readModelFolder(model);
  const layer = Math.max(1, Math.round((7 * folder.numLayers) / 12));
  const config = resolveExperimentConfig({
    title: 'example: few-shot',
    model,
    outDir,
    ...(options.udDir ? { udDir: options.udDir } : {}),
    layers: [layer],
    overflow,
    tasks,
    sourceLanguage: 'en',
    metaLanguages,
    validationLanguages: [],
    targetLanguages,
    lowResourceTreebanks: [],
    maxFitSentences,
    maxTestSentences,
    probe: { epochs: probeEpochs },
    meta: { epochs: metaEpochs, episodesPerLanguage },
    alignability: { permutations: 0 },
    fewShot: { shots, seeds, ...(epochs ? { epochs } : {}) },
    bootstrap: { resamples: 50 },
  });
  const run = await runExperiment(config);
  const curves = run.result?.fewShot ?? [];

  log(
    `Model ${relative(process.cwd(), folder.dir)} (layer ${layer}); report: ${relative(process.cwd(), run.report!.html)}`,
  );
  log(`Word accuracy, % mean over ${seeds.length} seeds [interval], by number N of target sentences:`);
  for (const task of tasks) {
    for (const language of [...new Set(curves.filter((c) => c.task === task).map((c) => c.language))]) {
      log('');
      log(`${task} ${language}:`);
      log(['method'.padEnd(18), ...shots.map((n) => `N=${n}`.padStart(18))].join(''));
      for (const curve of curves.filter((c) => c.task === task && c.language === language)) {
        const cells = shots.map((n) => {
          const p = curve.points.find((point) => point.n === n);
          return (
            p
              ? `${(100 * p.mean).toFixed(1)} [${(100 * p.lower).toFixed(0)}, ${(100 * p.upper).toFixed(0)}]`
              : '-'
          ).padStart(18);
        });
        log([curve.method.padEnd(18), ...cells].join(''));
      }
    }
  }
  return curves;
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
