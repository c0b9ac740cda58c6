import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import {
  InvalidArgumentError,
  type Tensor,
  createRng,
  decodeSafetensors,
  encodeSafetensors,
  writeFileAtomic,
} from '@xling/core';
import { findRepoRoot, readUdCorpus, defaultUdDir } from '../corpus/read-ud-corpus.js';
import { balancedWordCounts, languageProbabilities, splitCorpus } from '../corpus/split-corpus.js';
import { writeHfFolder } from '../export/write-hf-folder.js';
import { type ModelCardInfo, renderModelCard } from '../export/render-model-card.js';
import { initBackend } from '../model/init-backend.js';
import { MiniBert, parameterShapes } from '../model/mini-bert.js';
import type { MiniBertConfig } from '../model/mini-bert-config.js';
import { trainWordPiece } from '../tokenizer/train-word-piece.js';
import { SPECIAL_TOKENS, WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';
import { AdamW, learningRateAt } from '../train/adam-w.js';
import { type MlmEvaluation, evaluateMlm } from '../train/evaluate-mlm.js';
import { makeMlmBatch } from '../train/make-mlm-batch.js';
import { writeCorpus } from '../train/write-corpus.js';

// Reproduce: pnpm --filter @xling/tool-mini-encoder train -- --seed 1 --steps N (see README.md).
const { values: args } = parseArgs({
  // `pnpm <script> -- --flag` passes the `--` through; without this, parseArgs would read every
  // flag after it as a positional and silently use the defaults.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    seed: { type: 'string', default: '1' },
    steps: { type: 'string', default: '2000' },
    'batch-size': { type: 'string', default: '32' },
    lr: { type: 'string', default: '1e-3' },
    warmup: { type: 'string', default: '100' },
    'vocab-size': { type: 'string', default: '12000' },
    alpha: { type: 'string', default: '0.5' },
    hidden: { type: 'string', default: '128' },
    layers: { type: 'string', default: '2' },
    heads: { type: 'string', default: '4' },
    intermediate: { type: 'string', default: '512' },
    'max-length': { type: 'string', default: '128' },
    out: { type: 'string', default: 'models/xling-mini-encoder' },
    work: { type: 'string', default: join(tmpdir(), 'xling-mini-encoder-work') },
    'checkpoint-every': { type: 'string', default: '200' },
    'eval-every': { type: 'string', default: '1000' },
    'log-every': { type: 'string', default: '20' },
    'max-minutes': { type: 'string', default: '0' },
    'stop-after': { type: 'string', default: '0' },
    threads: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    'ud-dir': { type: 'string' },
    resume: { type: 'boolean', default: false },
    'export-only': { type: 'boolean', default: false },
    'export-corpus': { type: 'boolean', default: false },
  },
  allowPositionals: false,
});

const num = (key: keyof typeof args): number => Number(args[key]);
const log = (line: string): void => console.log(`[${new Date().toISOString()}] ${line}`);

interface TrainState {
  step: number;
  wallSeconds: number;
  lossHistory: { step: number; loss: number }[];
  evaluations: { step: number; results: MlmEvaluation[] }[];
}

async function main(): Promise<void> {
  const root = findRepoRoot();
  const outDir = resolve(root, args.out!);
  const workDir = resolve(args.work!);
  await mkdir(workDir, { recursive: true });
  const seed = num('seed');
  const alpha = num('alpha');
  const maxLength = num('max-length');
  const udDir = args['ud-dir'] ?? defaultUdDir();

  await initBackend(args.backend as 'wasm' | 'cpu', num('threads'));
  log(`backend ${tf.getBackend()}, ${num('threads')} thread(s)`);

  // 1. Data: train + dev of every treebank; seeded held-out sentences per language.
  const files = await readUdCorpus({ udDir, splits: ['train', 'dev'] });
  const corpora = splitCorpus(files, { seed });
  log(
    `read ${files.length} files, ${corpora.length} languages, ${corpora.reduce((a, c) => a + c.train.length, 0)} training sentences`,
  );

  // 2. Vocabulary (reused from the work folder on resume).
  const tokenizerPath = join(workDir, 'tokenizer.json');
  let tokenizer: WordPieceTokenizer;
  if (args.resume && existsSync(tokenizerPath)) {
    tokenizer = WordPieceTokenizer.fromTokenizerJson(JSON.parse(await readFile(tokenizerPath, 'utf8')));
    log(`vocabulary loaded: ${tokenizer.vocab.length} tokens`);
  } else {
    const t0 = performance.now();
    const counts = balancedWordCounts(corpora, alpha);
    const vocab = trainWordPiece(counts, {
      vocabSize: num('vocab-size'),
      specialTokens: [...SPECIAL_TOKENS],
    });
    tokenizer = new WordPieceTokenizer(vocab);
    await writeFileAtomic(tokenizerPath, JSON.stringify(tokenizer.toTokenizerJson()));
    log(
      `vocabulary trained: ${vocab.length} tokens from ${counts.size} distinct pieces in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }

  // 3. Encode.
  const train = corpora.map((c) => c.train.map((s) => tokenizer.encodeWords(s, maxLength)));
  const heldOut = new Map(
    corpora.map((c) => [c.language, c.heldOut.map((s) => tokenizer.encodeWords(s, maxLength))]),
  );
  const trainTokens = train.map((l) => l.reduce((a, s) => a + s.length, 0));
  const unk = train.flat().reduce((a, s) => a + s.filter((id) => id === tokenizer.unkId).length, 0);
  const probabilities = languageProbabilities(trainTokens, alpha);
  const cumulative = probabilities.map(
    (
      (sum) => (p: number) =>
        (sum += p)
    )(0),
  );
  log(
    `encoded: ${trainTokens.reduce((a, b) => a + b, 0)} training tokens ([CLS]/[SEP] included), ${unk} [UNK]`,
  );

  // What the model card reports about each language's data (also for a PyTorch-trained model).
  const dataRows: ModelCardInfo['corpora'] = corpora.map((c, l) => ({
    language: c.language,
    sources: c.sources,
    trainSentences: c.train.length,
    heldOutSentences: c.heldOut.length,
    trainTokens: trainTokens[l],
    probability: probabilities[l],
  }));

  if (args['export-corpus']) {
    await writeCorpus(workDir, corpora, train, heldOut, probabilities, tokenizer);
    await writeFileAtomic(
      join(workDir, 'corpus', 'data-info.json'),
      JSON.stringify({ corpora: dataRows, unknownTokens: unk, alpha, seed }),
    );
    log(`corpus written to ${workDir}/corpus (for tools/mini-encoder/torch/train_mlm.py)`);
    return;
  }

  // 4. Model + optimiser (resumed from the checkpoint when asked).
  const config: MiniBertConfig = {
    vocabSize: tokenizer.vocab.length,
    hiddenSize: num('hidden'),
    numHiddenLayers: num('layers'),
    numAttentionHeads: num('heads'),
    intermediateSize: num('intermediate'),
    maxPositionEmbeddings: maxLength,
    typeVocabSize: 2,
    layerNormEps: 1e-12,
    padTokenId: tokenizer.padId,
  };
  const checkpointPath = join(workDir, 'checkpoint.safetensors');
  const statePath = join(workDir, 'state.json');
  let state: TrainState = { step: 0, wallSeconds: 0, lossHistory: [], evaluations: [] };
  let model: MiniBert;
  let optimizer: AdamW;
  if (args.resume && existsSync(checkpointPath) && existsSync(statePath)) {
    const saved = decodeSafetensors(new Uint8Array(await readFile(checkpointPath)));
    const pick = (prefix: string) =>
      new Map(
        Object.entries(saved.tensors)
          .filter(([k]) => k.startsWith(prefix))
          .map(([k, t]) => [k.slice(prefix.length), t.data as Float32Array]),
      );
    model = MiniBert.fromArrays(config, pick('p/'));
    optimizer = new AdamW(model.params);
    for (const [name, data] of pick('m/'))
      optimizer.m.get(name)!.assign(tf.tensor(data, model.params.get(name)!.shape));
    for (const [name, data] of pick('v/'))
      optimizer.v.get(name)!.assign(tf.tensor(data, model.params.get(name)!.shape));
    state = JSON.parse(await readFile(statePath, 'utf8'));
    optimizer.step = state.step;
    log(`resumed at step ${state.step}`);
  } else {
    model = MiniBert.init(config, seed);
    optimizer = new AdamW(model.params);
  }
  const shapes = parameterShapes(config);
  log(
    `model: ${model.size} parameters (${((model.size * 4) / 2 ** 20).toFixed(2)} MiB fp32), config ${JSON.stringify(config)}`,
  );

  const vocab = {
    padId: tokenizer.padId,
    maskId: tokenizer.maskId,
    vocabSize: config.vocabSize,
    firstRegularId: SPECIAL_TOKENS.length,
  };
  const totalSteps = num('steps');
  const batchSize = num('batch-size');
  const peak = num('lr');
  const warmup = num('warmup');
  const maxMs = num('max-minutes') * 60_000;
  const startedAt = performance.now();
  const wallBefore = state.wallSeconds;

  const info = (): ModelCardInfo => ({
    corpora: dataRows,
    config,
    seed,
    alpha,
    steps: state.step,
    totalSteps,
    batchSize,
    peakLearningRate: peak,
    warmup,
    wallSeconds: state.wallSeconds,
    parameters: model.size,
    backend: `${tf.getBackend()} (${num('threads')} thread)`,
    lossHistory: state.lossHistory,
    evaluations: state.evaluations,
    unknownTokens: unk,
  });
  const save = async (final: boolean): Promise<void> => {
    // --export-only rewrites the model folder (and card) from the checkpoint without training.
    if (!args['export-only']) state.wallSeconds = wallBefore + (performance.now() - startedAt) / 1000;
    const arrays = model.toArrays();
    const tensors: Record<string, Tensor> = {};
    for (const [name, data] of arrays) {
      const shape = shapes.get(name)!;
      tensors[`p/${name}`] = { dtype: 'F32', shape, data };
      tensors[`m/${name}`] = { dtype: 'F32', shape, data: optimizer.m.get(name)!.dataSync() as Float32Array };
      tensors[`v/${name}`] = { dtype: 'F32', shape, data: optimizer.v.get(name)!.dataSync() as Float32Array };
    }
    if (!args['export-only']) {
      await writeFileAtomic(checkpointPath, encodeSafetensors(tensors));
      await writeFileAtomic(statePath, JSON.stringify(state));
    }
    await writeHfFolder(outDir, config, tokenizer, arrays, shapes, { card: renderModelCard(info()) });
    log(`${final ? 'final' : 'checkpoint'} saved at step ${state.step} (${outDir})`);
  };
  const evaluate = (): void => {
    const t0 = performance.now();
    const results = evaluateMlm(model, heldOut, vocab, seed);
    state.evaluations.push({ step: state.step, results });
    const n = results.reduce((a, r) => a + r.maskedTokens, 0);
    const loss = results.reduce((a, r) => a + r.loss * r.maskedTokens, 0) / n;
    const acc = results.reduce((a, r) => a + r.accuracy * r.maskedTokens, 0) / n;
    log(
      `eval step ${state.step}: held-out loss ${loss.toFixed(3)} acc ${(acc * 100).toFixed(1)}% over ${results.length} languages (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
  };

  let stop = false;
  process.on('SIGTERM', () => {
    stop = true;
  });
  process.on('SIGINT', () => {
    stop = true;
  });

  // 5. Training loop.
  const logEvery = num('log-every');
  const evalEvery = num('eval-every');
  const checkpointEvery = num('checkpoint-every');
  let windowLoss = 0;
  let windowSteps = 0;
  let windowTokens = 0;
  let windowStart = performance.now();
  const loopStart = performance.now();
  const firstStep = state.step;
  if (args['export-only']) {
    if (!args.resume)
      throw new InvalidArgumentError(
        '--export-only',
        'train',
        'needs --resume: it exports the checkpoint of the work folder.',
      );
    await save(true);
    return;
  }
  while (state.step < totalSteps && !stop) {
    if (maxMs > 0 && performance.now() - startedAt > maxMs) {
      log(`time limit of ${args['max-minutes']} minutes reached`);
      break;
    }
    if (num('stop-after') > 0 && state.step >= num('stop-after')) {
      log(`stopped after step ${state.step} as asked (schedule of ${totalSteps} steps)`);
      break;
    }
    const rng = createRng(seed).fork(`batch-${state.step}`);
    const sentences: Int32Array[] = [];
    for (let i = 0; i < batchSize; i++) {
      const u = rng.next();
      let l = cumulative.findIndex((c) => u < c);
      if (l < 0) l = train.length - 1;
      sentences.push(train[l][rng.int(train[l].length)]);
    }
    const batch = makeMlmBatch(sentences, vocab, rng);
    const lr = learningRateAt(state.step, peak, warmup, totalSteps);
    const { value, grads } = tf.variableGrads(
      () =>
        model.mlmLoss(
          tf.tensor2d(batch.inputIds, [batch.batchSize, batch.length], 'int32'),
          tf.tensor2d(batch.attentionMask, [batch.batchSize, batch.length]),
          tf.tensor1d(batch.positions, 'int32'),
          tf.tensor1d(batch.labels, 'int32'),
        ).loss,
      [...model.params.values()],
    );
    const loss = value.dataSync()[0];
    optimizer.apply(grads, lr);
    tf.dispose([value, ...Object.values(grads)]);
    state.step++;
    windowLoss += loss;
    windowSteps++;
    windowTokens += sentences.reduce((a, s) => a + s.length, 0);
    if (state.step % logEvery === 0) {
      const seconds = (performance.now() - windowStart) / 1000;
      const overall = (state.step - firstStep) / ((performance.now() - loopStart) / 1000);
      const remaining = (totalSteps - state.step) / overall;
      state.lossHistory.push({ step: state.step, loss: windowLoss / windowSteps });
      log(
        `step ${state.step}/${totalSteps} loss ${(windowLoss / windowSteps).toFixed(4)} lr ${lr.toExponential(2)} ` +
          `${(windowSteps / seconds).toFixed(2)} steps/s ${(windowTokens / seconds).toFixed(0)} tokens/s ETA ${(remaining / 60).toFixed(1)} min ` +
          `tensors ${tf.memory().numTensors}`,
      );
      windowLoss = 0;
      windowSteps = 0;
      windowTokens = 0;
      windowStart = performance.now();
    }
    if (evalEvery > 0 && state.step % evalEvery === 0) evaluate();
    if (state.step % checkpointEvery === 0) await save(false);
  }
  if (state.evaluations[state.evaluations.length - 1]?.step !== state.step) evaluate();
  await save(true);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
