import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@xling/core';
import type { LanguageCorpus } from '../corpus/split-corpus.js';
import { SPECIAL_TOKENS, type WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

/** All sentences of a split as one token array, sentence offsets and each sentence's language. */
export function packSentences(
  sentencesByLanguage: readonly (readonly Int32Array[])[],
): Record<string, Int32Array> {
  const sentences = sentencesByLanguage.flat();
  const tokens = new Int32Array(sentences.reduce((a, s) => a + s.length, 0));
  const offsets = new Int32Array(sentences.length + 1);
  const languages = new Int32Array(sentences.length);
  let at = 0;
  let i = 0;
  sentencesByLanguage.forEach((group, l) => {
    for (const s of group) {
      tokens.set(s, at);
      at += s.length;
      languages[i] = l;
      offsets[++i] = at;
    }
  });
  return { tokens, offsets, languages };
}

/** The bytes of an int32 array (little-endian on every platform Node runs on). */
export const int32Bytes = (a: Int32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Writes the encoded training and held-out sentences to `<workDir>/corpus/` for the PyTorch
 * trainer (`torch/train_mlm.py`): `<split>.<tokens|offsets|languages>.i32` (little-endian int32)
 * and `corpus.json` with the languages, their sampling probabilities and the special ids. The
 * vocabulary, the held-out choice and the encoding are this tool's, so both trainers see the
 * same data.
 */
export async function writeCorpus(
  workDir: string,
  corpora: readonly LanguageCorpus[],
  train: readonly (readonly Int32Array[])[],
  heldOut: ReadonlyMap<string, readonly Int32Array[]>,
  probabilities: readonly number[],
  tokenizer: WordPieceTokenizer,
): Promise<void> {
  const dir = join(workDir, 'corpus');
  await mkdir(dir, { recursive: true });
  const splits = { train, heldout: corpora.map((c) => heldOut.get(c.language) ?? []) };
  for (const [name, groups] of Object.entries(splits)) {
    for (const [part, array] of Object.entries(packSentences(groups))) {
      await writeFileAtomic(join(dir, `${name}.${part}.i32`), int32Bytes(array));
    }
  }
  const meta = {
    languages: corpora.map((c) => c.language),
    probabilities,
    vocabSize: tokenizer.vocab.length,
    padId: tokenizer.padId,
    maskId: tokenizer.maskId,
    clsId: tokenizer.clsId,
    sepId: tokenizer.sepId,
    firstRegularId: SPECIAL_TOKENS.length,
  };
  await writeFileAtomic(join(dir, 'corpus.json'), `${JSON.stringify(meta, null, 2)}\n`);
  await writeFileAtomic(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer.toTokenizerJson()));
}
