import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeFileAtomic } from '@xling/core';
import { defaultUdDir, findRepoRoot, readUdCorpus } from '../corpus/read-ud-corpus.js';
import { splitCorpus } from '../corpus/split-corpus.js';
import { decoderTokenizer } from '../decoder/prompt-tokens.js';
import { readTaggedTrain } from '../decoder/read-tagged-train.js';
import { type DecoderCardInfo, renderDecoderCard } from '../decoder/render-decoder-card.js';
import { writeDecoderCorpus } from '../decoder/write-decoder-corpus.js';
import { writeTokenizerFiles } from '../export/write-hf-folder.js';
import { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

// Makes models/xling-mini-decoder in one command (README.md, "The default decoder"): the corpus
// (once per work folder), torch/train_clm.py (resumable: rerun the same command), then the
// tokenizer files and the model card. TRAINER_FLAGS are passed on to train_clm.py, with this
// command's defaults (those of the shipped model).
const TRAINER_FLAGS = {
  steps: '1000',
  'batch-size': '8',
  context: '512',
  lr: '2e-3',
  warmup: '50',
  layers: '4',
  hidden: '128',
  heads: '4',
  intermediate: '384',
  'tagged-fraction': '0.5',
  'lm-fraction': '0.25',
  threads: '1',
  'log-every': '10',
  'eval-every': '250',
  'checkpoint-every': '50',
  'stop-after': '0',
} as const;

/** Flags that change when things are logged, saved or stopped, not the weights. */
const WHEN_FLAGS = new Set(['log-every', 'eval-every', 'checkpoint-every', 'stop-after']);

const trainerOptions = Object.fromEntries(
  Object.entries(TRAINER_FLAGS).map(([k, v]) => [k, { type: 'string', default: v }]),
) as Record<keyof typeof TRAINER_FLAGS, { type: 'string'; default: string }>;

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    seed: { type: 'string', default: '1' },
    alpha: { type: 'string', default: '0.5' },
    encoder: { type: 'string', default: 'models/xling-mini-encoder' },
    out: { type: 'string', default: 'models/xling-mini-decoder' },
    work: { type: 'string', default: join(tmpdir(), 'xling-mini-decoder-work') },
    python: { type: 'string', default: '/usr/bin/python3' },
    'ud-dir': { type: 'string' },
    section: { type: 'string', multiple: true, default: [] },
    ...trainerOptions,
  },
});

const log = (line: string): void => console.log(`[${new Date().toISOString()}] ${line}`);
const readJson = async <T>(path: string): Promise<T> => JSON.parse(await readFile(path, 'utf8')) as T;

async function main(): Promise<void> {
  const root = findRepoRoot();
  const work = resolve(args.work!);
  const out = resolve(root, args.out!);
  const seed = Number(args.seed);
  const alpha = Number(args.alpha);
  const infoPath = join(work, 'corpus', 'decoder-data-info.json');
  if (!existsSync(infoPath)) {
    const udDir = args['ud-dir'] ?? defaultUdDir();
    const encoder = WordPieceTokenizer.fromTokenizerJson(
      await readJson(resolve(root, args.encoder!, 'tokenizer.json')),
    );
    const tokenizer = decoderTokenizer(encoder);
    // The encoder's held-out split (same reader, seed and shares): held-out text stays unseen.
    const corpora = splitCorpus(await readUdCorpus({ udDir, splits: ['train', 'dev'] }), { seed });
    const tagged = await readTaggedTrain(udDir);
    const taggedRows = await writeDecoderCorpus(work, corpora, tagged, tokenizer, alpha);
    const plainRows = corpora.map((c) => ({
      language: c.language,
      trainSentences: c.train.length,
      heldOutSentences: c.heldOut.length,
    }));
    await writeFileAtomic(
      infoPath,
      JSON.stringify({ seed, alpha, encoder: args.encoder, plainRows, taggedRows }),
    );
    log(
      `corpus written to ${work}/corpus (${tokenizer.vocab.length} tokens, ${taggedRows.length} tagged languages)`,
    );
  }
  const trainer = join(root, 'tools/mini-encoder/torch/train_clm.py');
  const flags = Object.keys(TRAINER_FLAGS).flatMap((k) => [`--${k}`, String(args[k as keyof typeof args])]);
  const run = spawnSync(
    args.python!,
    [trainer, '--work', work, '--out', out, '--seed', String(seed), ...flags],
    {
      stdio: 'inherit',
    },
  );
  if (run.status !== 0) throw new Error(`train_clm.py exited with ${run.status ?? run.signal}`);
  const logPath = join(work, 'torch-clm-log.json');
  // train_clm.py writes the log when it exports, i.e. after the last step.
  const trainLog = existsSync(logPath) ? await readJson<DecoderCardInfo['log']>(logPath) : undefined;
  if (trainLog === undefined || trainLog.state.step < Number(args.steps)) {
    log('stopped before the last step: rerun the same command to resume');
    return;
  }
  const tokenizer = WordPieceTokenizer.fromTokenizerJson(
    await readJson(join(work, 'corpus', 'tokenizer.json')),
  );
  await writeTokenizerFiles(out, tokenizer, Number(args.context), { bos_token: '[CLS]', eos_token: '[SEP]' });
  const sections = await Promise.all((args.section as string[]).map((file) => readFile(file, 'utf8')));
  await writeFileAtomic(
    join(out, 'README.md'),
    renderDecoderCard({
      data: await readJson(infoPath),
      log: trainLog,
      command: reproduceCommand(),
      sections,
    }),
  );
  log(`wrote ${out} (tokenizer files, README.md)`);
}

/** The command line of this run, with every flag that shapes the weights. */
function reproduceCommand(): string {
  const shaping = [
    'seed',
    'alpha',
    'encoder',
    ...Object.keys(TRAINER_FLAGS).filter((k) => !WHEN_FLAGS.has(k)),
  ];
  const flags = shaping.map((k) => `--${k} ${args[k as keyof typeof args]}`).join(' ');
  return `pnpm --filter @xling/tool-mini-encoder train-decoder -- --work W ${flags}`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
