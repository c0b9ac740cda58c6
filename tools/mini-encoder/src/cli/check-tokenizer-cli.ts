import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Tokenizer } from 'tokenizers';
import { defaultUdDir, findRepoRoot, readUdCorpus } from '../corpus/read-ud-corpus.js';
import { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

// Checks that the training-time tokenizer gives exactly the ids that Hugging Face `tokenizers`
// (the native library @xling/extract uses) gives from the shipped tokenizer.json, for every
// distinct word form of the UD train and dev splits.
const { values: args } = parseArgs({
  // `pnpm <script> -- --flag` passes the `--` through; without this, parseArgs would read every
  // flag after it as a positional and silently use the defaults.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: { model: { type: 'string', default: 'models/xling-mini-encoder' } },
});

async function main(): Promise<void> {
  const folder = resolve(findRepoRoot(), args.model!);
  const file = join(folder, 'tokenizer.json');
  const ours = WordPieceTokenizer.fromTokenizerJson(JSON.parse(await readFile(file, 'utf8')));
  const theirs = Tokenizer.fromFile(file);
  const words = new Set<string>();
  for (const f of await readUdCorpus({ udDir: defaultUdDir() }))
    for (const s of f.sentences) for (const w of s) words.add(w);
  const list = [...words];
  let mismatches = 0;
  const examples: string[] = [];
  for (let start = 0; start < list.length; start += 4096) {
    const chunk = list.slice(start, start + 4096);
    const encodings = await theirs.encodeBatch(chunk, { addSpecialTokens: false });
    chunk.forEach((word, i) => {
      const a = ours.tokenizeWord(word);
      const b = encodings[i].getIds();
      if (a.length !== b.length || a.some((x, k) => x !== b[k])) {
        mismatches++;
        if (examples.length < 10)
          examples.push(`${JSON.stringify(word)}: ours ${JSON.stringify(a)} theirs ${JSON.stringify(b)}`);
      }
    });
  }
  console.log(`${list.length} distinct UD train/dev word forms, ${mismatches} tokenised differently`);
  for (const e of examples) console.log(`  ${e}`);
  if (mismatches > 0) process.exit(1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
