import type { MiniBertConfig } from '../model/mini-bert-config.js';
import type { MlmEvaluation } from '../train/evaluate-mlm.js';

/** Everything the model card reports. */
export interface ModelCardInfo {
  corpora: {
    language: string;
    sources: string[];
    trainSentences: number;
    heldOutSentences: number;
    trainTokens: number;
    probability: number;
  }[];
  config: MiniBertConfig;
  seed: number;
  alpha: number;
  steps: number;
  totalSteps: number;
  batchSize: number;
  peakLearningRate: number;
  warmup: number;
  wallSeconds: number;
  parameters: number;
  backend: string;
  lossHistory: { step: number; loss: number }[];
  evaluations: { step: number; results: MlmEvaluation[] }[];
  unknownTokens: number;
  /** Who trained it, for the first sentence. @defaultValue this tool's TypeScript trainer */
  trainedBy?: string;
  /** The command that reproduces the weights. @defaultValue this tool's `train` command */
  reproduce?: string;
  /** Dropout during training. @defaultValue 0 */
  dropout?: number;
  /** Extra Markdown sections (with their headings), placed before Limitations. */
  sections?: string[];
  /** dtype of model.safetensors. @defaultValue 'fp32' */
  storage?: 'fp32' | 'fp16';
  /** How the weights were initialised, when not at random (a sentence). */
  initialisation?: string;
  /** Whole words, not pieces, were drawn for masking. @defaultValue false */
  wholeWordMasking?: boolean;
  /** The run these weights continued from (`train_mlm.py --init-from`): its own schedule. */
  previous?: TrainingPhase;
}

/** One training run of a model that was trained in several (see {@link ModelCardInfo.previous}). */
export interface TrainingPhase {
  steps: number;
  peakLearningRate: number;
  warmup: number;
  wallSeconds: number;
  wholeWordMasking: boolean;
  initialisation?: string;
}

/** How the masked positions are drawn. */
function masking(wholeWord: boolean): string {
  return wholeWord
    ? '15% of the words chosen and every piece of a chosen word masked (whole-word masking; 80% [MASK], 10% random token, 10% unchanged per piece; at least one word per sentence)'
    : '15% of non-special tokens chosen (80% [MASK], 10% random token, 10% unchanged; at least one per sentence)';
}

/** A run's learning-rate schedule, as a sentence. */
function schedule(p: {
  peakLearningRate: number;
  warmup: number;
  totalSteps?: number;
  steps: number;
}): string {
  return `Peak learning rate ${p.peakLearningRate}, linear warm-up ${p.warmup} steps then linear decay to 0 at step ${p.totalSteps ?? p.steps}.`;
}

/** The two runs of a continued model, the earlier first. */
function trainingPhases(info: ModelCardInfo, previous: TrainingPhase): string[] {
  const phase = (n: number, p: TrainingPhase | ModelCardInfo, wholeWord: boolean, start: string) =>
    `${n}. ${start}${p.steps} steps of ${wholeWord ? 'whole-word' : 'piece'} masking. ${schedule(p)}`;
  return [
    'Two runs, the second starting from the weights of the first with a new optimiser and schedule:',
    '',
    phase(
      1,
      previous,
      previous.wholeWordMasking,
      previous.initialisation ? `${previous.initialisation} Then ` : '',
    ),
    phase(2, info, info.wholeWordMasking ?? false, 'From those weights, '),
  ];
}

const TS_TRAINER = "xling's own TypeScript code (TensorFlow.js, wasm backend, one CPU thread)";

/** Renders the model card (README.md of the model folder) from the training record. */
export function renderModelCard(info: ModelCardInfo): string {
  const c = info.config;
  const sentences = info.corpora.reduce((a, x) => a + x.trainSentences, 0);
  const tokens = info.corpora.reduce((a, x) => a + x.trainTokens, 0);
  const held = info.corpora.reduce((a, x) => a + x.heldOutSentences, 0);
  const last = info.evaluations[info.evaluations.length - 1];
  const first = info.evaluations[0];
  const lines: string[] = [];
  lines.push(
    '---',
    'language: multilingual',
    'license: other',
    'library_name: transformers',
    'pipeline_tag: fill-mask',
    '---',
    '',
  );
  lines.push('# xling-mini-encoder', '');
  lines.push(
    `**A small model trained on little data.** A ${c.numHiddenLayers}-layer BERT-style masked-language model trained from scratch by`,
    `${info.trainedBy ?? TS_TRAINER} on the word forms of the Universal`,
    'Dependencies treebanks available offline to the project. It exists so that the demo and the docs can show',
    'representations learned from data instead of random weights, without any download. It is orders of magnitude',
    'smaller and less trained than mBERT or XLM-R; do not read its results as statements about those models.',
    '',
  );
  lines.push('## Data', '');
  lines.push(
    `- UD treebanks listed in \`MANIFEST.tsv\` of the project's UD folder: **train and dev splits only; no test sentence was seen** (neither by the vocabulary nor by the model).`,
    "- Many languages have no train split in the offline copy (files of 4 MiB and more were not copied), so dev text is used for training too. To measure held-out masked-LM loss, a seeded random subset of each language's sentences (5%, at most 50; none for languages with fewer than 100 sentences) was **held out from both the vocabulary and the MLM training**.",
    `- ${info.corpora.length} languages, ${sentences} training sentences, ${tokens} training tokens ([CLS]/[SEP] included), ${held} held-out sentences; ${info.unknownTokens} training tokens are [UNK].`,
    `- Languages are sampled with temperature sampling, p(l) proportional to n_l^${info.alpha} (n_l = training tokens of language l; XLM, Conneau & Lample 2019); the vocabulary is trained on counts rescaled the same way.`,
    '- Each UD word is tokenised separately and the pieces concatenated between [CLS] and [SEP] (METHOD.md section 2); multiword tokens are kept as their surface form; sentences longer than 128 tokens are truncated.',
    '',
  );
  lines.push(
    '| language | treebank/split | train sentences | train tokens | sampling p | held-out sentences |',
    '|---|---|---:|---:|---:|---:|',
  );
  for (const x of info.corpora) {
    lines.push(
      `| ${x.language} | ${x.sources.join(', ')} | ${x.trainSentences} | ${x.trainTokens} | ${x.probability.toFixed(4)} | ${x.heldOutSentences} |`,
    );
  }
  lines.push('');
  lines.push('## Vocabulary', '');
  lines.push(
    `WordPiece, ${c.vocabSize} tokens (5 special: [PAD] [UNK] [CLS] [SEP] [MASK] = ids 0-4), cased, accents kept (\`BertNormalizer\` with \`lowercase: false\`, \`strip_accents: false\`, CJK characters split), \`BertPreTokenizer\`. Trained like Hugging Face \`WordPieceTrainer\` (frequency-ranked merges over characters with \`##\` continuation, alphabet limited to the 3000 most frequent characters, ties broken lexicographically). The tokenizer used to make the training data gives exactly the ids of Hugging Face \`tokenizers\` on this \`tokenizer.json\` for every distinct word form of the UD train and dev files (checked by \`pnpm --filter @xling/tool-mini-encoder check-tokenizer\`).`,
    '',
  );
  lines.push('## Architecture', '');
  lines.push(
    `BERT (post-norm), ${c.numHiddenLayers} layers, hidden ${c.hiddenSize}, ${c.numAttentionHeads} heads, intermediate ${c.intermediateSize}, exact-erf GELU, max length ${c.maxPositionEmbeddings}, ${info.parameters} parameters (${((info.parameters * 4) / 2 ** 20).toFixed(2)} MiB fp32). MLM head \`cls.predictions.*\` with the decoder tied to the word embeddings. Weights are in \`model.safetensors\` with Hugging Face \`BertForMaskedLM\` names (\`bert.\` prefix)${info.storage === 'fp16' ? ', stored as float16: rounded once after training, and the held-out numbers and golden states below are those of the rounded weights' : ''}.`,
    '',
  );
  lines.push('## Training', '');
  const wall = info.wallSeconds + (info.previous?.wallSeconds ?? 0);
  lines.push(
    `Masked LM: ${info.previous ? 'piece or whole-word masking as each run below says (15% of the non-special tokens, or of the words with every piece of a chosen word; 80% [MASK], 10% random token, 10% unchanged per piece; at least one per sentence)' : masking(info.wholeWordMasking ?? false)}, no next-sentence prediction, ${info.dropout ? `dropout ${info.dropout}` : 'no dropout'}. AdamW (beta 0.9/0.98, eps 1e-6, weight decay 0.01 except biases and LayerNorm), global gradient-norm clipping at 1, batch ${info.batchSize} sentences.`,
    '',
    ...(info.previous
      ? trainingPhases(info, info.previous)
      : [`${schedule(info)}${info.initialisation ? ` ${info.initialisation}` : ''}`]),
    '',
    `- Steps run: **${info.steps}** of ${info.totalSteps} planned${info.steps < info.totalSteps ? ' (stopped early by the time budget: the learning rate had not decayed to 0)' : ''}${info.previous ? ` in the second run, ${info.previous.steps + info.steps} in all (the first run: ${info.previous.steps} steps in ${(info.previous.wallSeconds / 60).toFixed(1)} min, the second ${(info.wallSeconds / 60).toFixed(1)} min)` : ''}.`,
    `- Wall time: ${(wall / 60).toFixed(1)} min on ${info.backend}.`,
    `- Seed: ${info.seed}.`,
    `- Reproduce: ${info.reproduce ?? `\`pnpm --filter @xling/tool-mini-encoder train -- --seed ${info.seed} --steps ${info.totalSteps}${info.steps < info.totalSteps ? ` --stop-after ${info.steps}` : ''}\``} (see tools/mini-encoder/README.md; the same seed and steps give the same vocabulary, batches and masks; float results can differ in the last bits across machines).`,
    '',
  );
  if (info.lossHistory.length > 0) {
    const pick = info.lossHistory.filter(
      (_, i, a) => i % Math.max(1, Math.floor(a.length / 10)) === 0 || i === a.length - 1,
    );
    lines.push(
      `Training loss${info.previous ? ' of the second run' : ''} (mean over the preceding logging window):`,
      '',
      '| step | loss |',
      '|---:|---:|',
    );
    for (const h of pick) lines.push(`| ${h.step} | ${h.loss.toFixed(3)} |`);
    lines.push('');
  }
  lines.push('## Held-out masked-LM loss per language', '');
  if (last === undefined) {
    lines.push('No evaluation recorded yet.', '');
  } else {
    lines.push(
      `At step ${last.step}, on the held-out sentences with a fixed seeded masking; loss is the mean cross-entropy in nats over masked tokens (ln ${c.vocabSize} = ${Math.log(c.vocabSize).toFixed(2)} is the uniform guess), accuracy the share of masked tokens predicted exactly.${first !== last ? ` The first column is the same measurement at step ${first.step}.` : ''}`,
      '',
      `| language | held-out sentences | masked tokens |${first !== last ? ` loss @${first.step} |` : ''} loss | accuracy |`,
      `|---|---:|---:|${first !== last ? '---:|' : ''}---:|---:|`,
    );
    for (const r of last.results) {
      const before = first.results.find((x) => x.language === r.language);
      lines.push(
        `| ${r.language} | ${r.sentences} | ${r.maskedTokens} |${first !== last ? ` ${before ? before.loss.toFixed(3) : ''} |` : ''} ${r.loss.toFixed(3)} | ${(r.accuracy * 100).toFixed(1)}% |`,
      );
    }
    const n = last.results.reduce((a, r) => a + r.maskedTokens, 0);
    lines.push(
      `| **all** | ${last.results.reduce((a, r) => a + r.sentences, 0)} | ${n} |${first !== last ? ' |' : ''} ${(last.results.reduce((a, r) => a + r.loss * r.maskedTokens, 0) / n).toFixed(3)} | ${((last.results.reduce((a, r) => a + r.accuracy * r.maskedTokens, 0) / n) * 100).toFixed(1)}% |`,
      '',
    );
  }
  for (const section of info.sections ?? []) lines.push(section, '');
  lines.push('## Limitations', '');
  lines.push(
    `- Trained for ${((info.wallSeconds + (info.previous?.wallSeconds ?? 0)) / 60).toFixed(0)} minutes on ${info.backend} on roughly ${(info.corpora.reduce((a, x) => a + x.trainTokens, 0) / 1e6).toFixed(1)} million tokens: a toy next to real multilingual encoders. Use it for demos, tests and pipeline checks; report results from it as results of a small model trained on little data.`,
    '- Languages with little UD text (a few hundred sentences) are heavily up-sampled and partly memorised; languages absent from the train/dev files are unseen.',
    '- The UD licences of the source treebanks apply to the training text (several are CC BY-NC-SA); check them before any non-research use.',
    '',
  );
  return `${lines.join('\n')}\n`;
}
