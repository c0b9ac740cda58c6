import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GenerationModel, WordTokenizer } from '@xling/extract';
import { findRepoRoot } from '../corpus/read-ud-corpus.js';
import { UPOS_TAGS } from '../decoder/prompt-tokens.js';

// Checks models/xling-mini-decoder as xling reads it: the generation graph (built from the
// checkpoint on first use) gives train_clm.py's golden logits to 1e-4, BOS is [CLS], and every
// UPOS tag is one token of the folder's tokenizer.
const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    model: { type: 'string', default: 'models/xling-mini-decoder' },
    golden: { type: 'string' },
  },
});

async function main(): Promise<void> {
  if (args.golden === undefined) throw new Error('--golden <work>/torch-clm-log.json is required');
  const { golden } = JSON.parse(await readFile(resolve(args.golden), 'utf8')) as {
    golden: { ids: number[]; lastLogits: number[] };
  };
  const model = await GenerationModel.load(resolve(findRepoRoot(), args.model!));
  try {
    const tokenizer = WordTokenizer.load(model.folder);
    const pieces = await tokenizer.encodeTexts([...UPOS_TAGS]);
    const split = UPOS_TAGS.filter((_, i) => pieces[i].length !== 1);
    const { logits, vocabSize } = await model.forward({ inputIds: Int32Array.from(golden.ids) });
    const last = logits.subarray(logits.length - vocabSize);
    const difference = golden.lastLogits.reduce((m, x, i) => Math.max(m, Math.abs(x - last[i])), 0);
    console.log(`onnx: ${join(model.folder.dir, 'onnx')}`);
    console.log(`BOS id ${tokenizer.startId} (${golden.ids[0]} in training)`);
    console.log(`UPOS tags of more than one token: ${split.length === 0 ? 'none' : split.join(', ')}`);
    console.log(
      `max |logit difference| from PyTorch over ${golden.ids.length} tokens: ${difference.toExponential(2)}`,
    );
    if (difference > 1e-4 || split.length > 0 || tokenizer.startId !== golden.ids[0]) process.exitCode = 1;
  } finally {
    await model.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
