// How alignable are the languages' concept spaces? An end-to-end run of @xling/eval up to the
// alignability stage: treebanks -> hidden states -> per-language probes -> prototypes -> all-pairs
// Procrustes, RSA and linear CKA with permutation p-values and the random-label control, and a
// report (JSON, Markdown, HTML) in the run folder.
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type AlignabilityMatrix, resolveExperimentConfig, runExperiment } from '@xling/eval';
import { readModelFolder } from '@xling/extract';

/** The repository's default model (trained by tools/mini-encoder). */
export const DEFAULT_MODEL = resolve(import.meta.dirname, '../../models/xling-mini-encoder');

/** Settings of {@link main}; the defaults take a few minutes on two cores. */
export interface AlignabilityExampleOptions {
  /** Model folder (Hugging Face layout: onnx/model.onnx, or a checkpoint it is built from). @defaultValue the repository's default model */
  model?: string;
  /** Output folder (store and runs). @defaultValue `xling-out` beside this file */
  outDir?: string;
  /** UD directory. @defaultValue $XLING_UD_DIR, else ../shared/data/ud next to the repository */
  udDir?: string;
  /** Languages compared (the first is the source). @defaultValue en de fr es ru cy mr */
  languages?: string[];
  /** Layer analysed. @defaultValue the layer at 7/12 of the model's depth (mBERT's layer 7) */
  layer?: number;
  /** Sentences per language for the probes. @defaultValue 300 */
  maxFitSentences?: number;
  /** Most probe epochs (probes stop once converged). @defaultValue 200 */
  probeEpochs?: number;
  /** Permutations per p-value. @defaultValue 199 */
  permutations?: number;
  /** Sentences longer than the model's limit: skip or cut into windows. @defaultValue 'window' */
  overflow?: 'skip' | 'window';
  /** Where the lines go. @defaultValue console.log */
  log?: (line: string) => void;
}

/** Runs the alignability stage, prints the RSA matrix with p-values and the mean of every metric. */
export async function main(options: AlignabilityExampleOptions = {}): Promise<AlignabilityMatrix[]> {
  const {
    model = DEFAULT_MODEL,
    outDir = join(import.meta.dirname, 'xling-out'),
    languages = ['en', 'de', 'fr', 'es', 'ru', 'cy', 'mr'],
    maxFitSentences = 300,
    probeEpochs = 200,
    permutations = 199,
    overflow = 'window',
    log = console.log,
  } = options;
  const folder = await readModelFolder(model);
  const layer = options.layer ?? Math.max(1, Math.round((7 * folder.numLayers) / 12));
  const config = resolveExperimentConfig({
    title: 'example: alignability',
    model,
    outDir,
    ...(options.udDir ? { udDir: options.udDir } : {}),
    layers: [layer],
    overflow,
    sourceLanguage: languages[0],
    // Every language is probed; none is a zero-shot target at this stage.
    metaLanguages: languages,
    validationLanguages: [],
    targetLanguages: [],
    lowResourceTreebanks: [],
    maxFitSentences,
    maxTestSentences: 10,
    probe: { epochs: probeEpochs },
    alignability: { permutations },
  });
  const run = await runExperiment(config, { until: 'alignability' });
  const matrices = run.result?.alignability ?? [];

  log(
    `Model ${relative(process.cwd(), folder.dir)} (layer ${layer} of ${folder.numLayers}); report: ${relative(process.cwd(), run.report!.html)}`,
  );
  const rsa = matrices.find((m) => m.task === 'upos' && m.metric === 'rsa')!;
  log('');
  log(`UPOS prototypes, RSA between languages (p-value of ${permutations} permutations in brackets):`);
  log(['    ', ...rsa.languages.map((l) => l.padStart(14))].join(''));
  rsa.languages.forEach((language, i) => {
    const cells = rsa.languages.map((_, j) => {
      if (i === j) return '-'.padStart(14);
      const v = rsa.values[i]![j];
      const p = rsa.pValues?.[i]?.[j];
      return (v === null || v === undefined ? 'n/a' : `${v.toFixed(2)} (${p?.toFixed(3) ?? '?'})`).padStart(
        14,
      );
    });
    log([language.padEnd(4), ...cells].join(''));
  });
  log('');
  log('Mean over pairs, with the random-label control (the floor each number is read against):');
  for (const m of matrices) {
    const pairs: Array<[number, number | null]> = [];
    for (let i = 0; i < m.languages.length; i++) {
      for (let j = i + 1; j < m.languages.length; j++)
        pairs.push([m.values[i]![j]!, m.control?.[i]?.[j] ?? null]);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const observed = mean(pairs.map(([v]) => v));
    const controls = pairs.map(([, c]) => c).filter((c): c is number => c !== null);
    log(
      `  ${m.task.padEnd(6)} ${m.metric.padEnd(10)} ${observed.toFixed(3)}  (${m.higherIsBetter ? 'higher' : 'lower'} = more alignable)` +
        (controls.length > 0 ? `  control ${mean(controls).toFixed(3)}` : ''),
    );
  }
  return matrices;
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
