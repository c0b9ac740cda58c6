import { type ExperimentConfig, resolveExperimentConfig } from '@xling/eval';

/** What the demo config depends on. */
export interface DemoConfigInput {
  /** Absolute model folder. */
  model: string;
  /** Transformer blocks of the model (layers 0..numLayers). */
  numLayers: number;
  /** Longest token sequence the model takes. */
  maxLength: number;
  /** Encoder or decoder (the model family's kind): picks the sub-word pooling. */
  kind: 'encoder' | 'decoder';
  /** Absolute output folder. */
  outDir: string;
  /** Absolute UD directory. */
  udDir: string;
  /** Tiny settings on a handful of languages, for CI and tests. */
  quick: boolean;
  /** Absolute decoder folder: adds the ICL stage (`xling demo --icl`). */
  decoder?: string;
}

/**
 * The layers the demo analyses: METHOD.md reads mBERT's layer 7 of 12, so the main layer is the
 * same depth (7/12) of the model at hand; the sweep adds up to three more layers spread over
 * 1..L (every layer of a model with 4 or fewer).
 */
export function demoLayers(numLayers: number, quick: boolean): number[] {
  const main = Math.min(numLayers, Math.max(1, Math.round((7 * numLayers) / 12)));
  if (quick) return numLayers > 1 ? [main, main === numLayers ? main - 1 : numLayers] : [main];
  const others =
    numLayers <= 4
      ? Array.from({ length: numLayers }, (_, i) => i + 1)
      : [1, Math.round(numLayers / 3), Math.round((2 * numLayers) / 3), numLayers];
  return [main, ...new Set(others.filter((l) => l !== main))];
}

/**
 * The demo's sub-word pooling. An encoder's word is the mean of its pieces: every piece has seen
 * the whole sentence, and the mean keeps the word's later pieces (often its inflection), which the
 * first piece of a word cut into several lacks. Measured with scripts/model/lr_vs_lookup.py on the
 * demo's caps (50 languages, UPOS), a logistic regression on mean-pooled words beat first pieces
 * by 5.3 points on the 2 x 128 default model of issue 13 (66.7 % vs 61.5 %) and by 3.4 on a
 * 4 x 256 one (70.2 % vs 66.9 %). A decoder keeps its family's last piece, the only one that has
 * seen the whole word.
 */
export function demoPooling(kind: 'encoder' | 'decoder'): 'mean' | 'last' {
  return kind === 'encoder' ? 'mean' : 'last';
}

/**
 * The built-in config of `xling demo`. The full demo uses the study's language roles from the
 * @xling/ud registry (metaLanguages, validationLanguages and targetLanguages unset) plus every
 * low-resource treebank, with caps chosen so the whole run takes about ten minutes on two cores;
 * `quick` keeps five treebanks and tiny caps (CI, tests). Long sentences are cut into windows of
 * whole words when the model takes fewer than 512 tokens, rather than skipped, so a small model
 * does not bias the sample towards short sentences.
 */
export function demoConfig(input: DemoConfigInput): ExperimentConfig {
  const { model, numLayers, maxLength, kind, outDir, udDir, quick, decoder } = input;
  // k = 4: @xling/icl keeps as many as fit the default decoder's 512 positions with the test
  // sentence (about two; the report gives the effective k).
  const icl =
    decoder === undefined
      ? {}
      : {
          icl: quick
            ? { model: decoder, k: 1, runs: 1, maxSentences: 20 }
            : { model: decoder, k: 4, runs: 3, maxSentences: 50 },
        };
  const common = {
    ...icl,
    model,
    outDir,
    udDir,
    layers: demoLayers(numLayers, quick),
    overflow: maxLength < 512 ? 'window' : 'skip',
    pooling: demoPooling(kind),
    sourceLanguage: 'en',
    threads: 0,
    // Every core: each stage's units split over one process per core (docs/scale.md).
    workers: quick ? 1 : 0,
  };
  if (quick) {
    return resolveExperimentConfig(
      {
        ...common,
        title: 'xling demo (quick): a handful of languages, tiny settings',
        metaLanguages: ['en', 'de'],
        validationLanguages: ['fr'],
        targetLanguages: ['cy'],
        lowResourceTreebanks: ['UD_Warlpiri-UFAL'],
        maxFitSentences: 60,
        maxTestSentences: 30,
        probe: { k: { upos: 8, deprel: 8 } },
        meta: { epochs: 2, episodesPerLanguage: 2, querySize: 5 },
        alignability: { permutations: 9 },
        fewShot: { shots: [1, 3], seeds: [1, 2], epochs: 2 },
        bootstrap: { resamples: 50 },
      },
      'xling demo --quick',
    );
  }
  return resolveExperimentConfig(
    {
      ...common,
      title: 'xling demo: cross-lingual structural concepts on Universal Dependencies',
      // Probes and meta-learners train to convergence with their defaults (early stopping); the
      // caps keep the whole run near ten minutes on two cores.
      maxFitSentences: 200,
      maxTestSentences: 200,
      meta: { episodesPerLanguage: 5, querySize: 15 },
      alignability: { permutations: 99 },
      fewShot: { shots: [1, 5, 20], seeds: [1, 2] },
      bootstrap: { resamples: 200 },
    },
    'xling demo',
  );
}
