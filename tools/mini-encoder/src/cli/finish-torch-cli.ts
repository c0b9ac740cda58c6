import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@xling/core';
import { findRepoRoot } from '../corpus/read-ud-corpus.js';
import { type ModelCardInfo, type TrainingPhase, renderModelCard } from '../export/render-model-card.js';
import { writeTokenizerFiles } from '../export/write-hf-folder.js';
import { fromHfConfig } from '../model/mini-bert-config.js';
import { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

// Completes a model folder written by torch/train_mlm.py: tokenizer files from the exported
// corpus and the model card from the training log (plus optional Markdown sections, such as the
// probe-versus-lookup table of scripts/model/lr_vs_lookup.py). Then run check-onnx. A run that
// continued another (--init-from) names that run's work folder with --previous, so the card
// describes both runs and the commands that remake both.
const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    work: { type: 'string' },
    model: { type: 'string', default: 'models/xling-mini-encoder' },
    section: { type: 'string', multiple: true, default: [] },
    previous: { type: 'string' },
  },
});

interface TorchLog {
  args: Record<string, number | string | boolean | null>;
  torch: string;
  state: {
    step: number;
    wallSeconds: number;
    losses: { step: number; loss: number }[];
    evaluations: {
      step: number;
      rows: { language: string; maskedTokens: number; loss: number; accuracy: number }[];
    }[];
  };
}

const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

async function main(): Promise<void> {
  if (args.work === undefined) throw new Error('--work <dir> is required (the folder train_mlm.py used)');
  const work = resolve(args.work);
  const folder = resolve(findRepoRoot(), args.model!);
  const log = await readJson<TorchLog>(join(work, 'torch-train-log.json'));
  const corpus = log.args.corpus ? resolve(String(log.args.corpus)) : join(work, 'corpus');
  const data = await readJson<Pick<ModelCardInfo, 'corpora' | 'unknownTokens' | 'alpha' | 'seed'>>(
    join(corpus, 'data-info.json'),
  );
  const tokenizer = WordPieceTokenizer.fromTokenizerJson(await readJson(join(corpus, 'tokenizer.json')));
  if (log.args.init_from && args.previous === undefined)
    throw new Error("this run continued another (--init-from): name that run's work folder with --previous");
  const previous =
    args.previous === undefined
      ? undefined
      : await readJson<TorchLog>(join(resolve(args.previous), 'torch-train-log.json'));
  const config = fromHfConfig(await readJson(join(folder, 'config.json')));
  await writeTokenizerFiles(folder, tokenizer, config.maxPositionEmbeddings);
  const heldOut = new Map(data.corpora.map((c) => [c.language, c.heldOutSentences]));
  const a = log.args;
  const sections = await Promise.all((args.section as string[]).map((file) => readFile(file, 'utf8')));
  const card = renderModelCard({
    ...data,
    config,
    steps: log.state.step,
    totalSteps: Number(a.steps),
    batchSize: Number(a.batch_size),
    peakLearningRate: Number(a.lr),
    warmup: Number(a.warmup),
    wallSeconds: log.state.wallSeconds,
    parameters: countParameters(config),
    backend: `PyTorch ${log.torch} (CPU, ${a.threads} thread${Number(a.threads) === 1 ? '' : 's'}${a.bf16 ? ', bfloat16 autocast' : ''})`,
    lossHistory: log.state.losses,
    evaluations: log.state.evaluations.map((e) => ({
      step: e.step,
      results: e.rows.map((r) => ({ ...r, sentences: heldOut.get(r.language) ?? 0 })),
    })),
    trainedBy: `the project's PyTorch script \`tools/mini-encoder/torch/train_mlm.py\` (CPU, ${a.threads} thread${Number(a.threads) === 1 ? '' : 's'}${a.bf16 ? ', products in bfloat16 under autocast, weights and optimiser in float32' : ''})`,
    reproduce: reproduce(a, data.seed, tokenizer.vocab.length, previous?.args),
    dropout: Number(a.dropout),
    storage: a.storage === 'fp16' ? 'fp16' : 'fp32',
    wholeWordMasking: a.whole_word_masking === true,
    ...(previous === undefined
      ? { initialisation: initialisation(a, config.hiddenSize) }
      : { previous: trainingPhase(previous, config.hiddenSize) }),
    sections: sections.map((s) => s.trim()),
  });
  await writeFileAtomic(join(folder, 'README.md'), card);
  console.log(`wrote the tokenizer files and README.md of ${folder}`);
}

/** The card's summary of the earlier run a continued model started from. */
function trainingPhase(log: TorchLog, hidden: number): TrainingPhase {
  return {
    steps: log.state.step,
    peakLearningRate: Number(log.args.lr),
    warmup: Number(log.args.warmup),
    wallSeconds: log.state.wallSeconds,
    wholeWordMasking: log.args.whole_word_masking === true,
    initialisation: initialisation(log.args, hidden),
  };
}

/** The sentence on the starting piece embeddings, when they did not start at random. */
function initialisation(a: TorchLog['args'], hidden: number): string | undefined {
  if (!a.init_embeddings) return undefined;
  return `The piece embeddings started from a distributional pass (\`tools/mini-encoder/torch/ppmi_embeddings.py\`: PPMI of each piece with its left and its right neighbour, reduced by truncated SVD to ${hidden / 2} columns each), not at random.`;
}

/**
 * The commands that remake the folder from the UD data, W being any work folder (and W2 the
 * continued run's, which reads W's corpus and starts from W's model).
 */
function reproduce(
  a: TorchLog['args'],
  seed: number,
  vocabSize: number,
  previous?: TorchLog['args'],
): string {
  const first = previous ?? a;
  const steps = [
    `\`pnpm --filter @xling/tool-mini-encoder train -- --seed ${seed} --vocab-size ${vocabSize} --export-corpus --work W\``,
  ];
  let init = '';
  if (first.init_embeddings) {
    steps.push(
      `\`/usr/bin/python3 tools/mini-encoder/torch/ppmi_embeddings.py --work W --dim ${first.hidden} --seed ${seed}\``,
    );
    init = ' --init-embeddings W/ppmi-embeddings.npy';
  }
  const trainer = '/usr/bin/python3 tools/mini-encoder/torch/train_mlm.py';
  if (previous === undefined) {
    steps.push(`\`${trainer} --work W --out ${args.model} ${flags(a)}${init}\``);
  } else {
    steps.push(
      `\`${trainer} --work W --out W/model ${flags(previous)}${init}\``,
      `\`${trainer} --work W2 --corpus W/corpus --out ${args.model} ${flags(a)} --init-from W/model\``,
    );
  }
  const work = previous === undefined ? 'W' : 'W2';
  steps.push(
    `\`pnpm --filter @xling/tool-mini-encoder finish-torch -- --work ${work}${previous === undefined ? '' : ' --previous W'}\``,
    `\`check-onnx -- --golden ${work}/torch-train-log.json\``,
  );
  return steps.join(', then ');
}

/** The trainer's flags that shape the weights, as typed on its command line. */
function flags(a: TorchLog['args']): string {
  const keys = [
    'seed',
    'steps',
    'batch_size',
    'lr',
    'warmup',
    'layers',
    'hidden',
    'heads',
    'intermediate',
    'dropout',
    'threads',
    'bf16',
    'storage',
    'whole_word_masking',
  ];
  // Switches (store_true) appear bare when on and not at all when off.
  return keys
    .filter((k) => a[k] !== undefined && a[k] !== null && a[k] !== false)
    .map((k) => (a[k] === true ? `--${k.replaceAll('_', '-')}` : `--${k.replaceAll('_', '-')} ${a[k]}`))
    .join(' ');
}

/** Parameters of a BERT with a tied MLM head (word embeddings counted once). */
function countParameters(c: ReturnType<typeof fromHfConfig>): number {
  const h = c.hiddenSize;
  const embeddings = (c.vocabSize + c.maxPositionEmbeddings + c.typeVocabSize) * h + 2 * h;
  const layer =
    4 * (h * h + h) +
    2 * h +
    (h * c.intermediateSize + c.intermediateSize) +
    (c.intermediateSize * h + h) +
    2 * h;
  const head = h * h + h + 2 * h + c.vocabSize;
  return embeddings + c.numHiddenLayers * layer + head;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
