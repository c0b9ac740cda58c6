import { join } from 'node:path';
import { writeFileAtomic } from '@xling/core';
import type { LanguageCorpus } from '../corpus/split-corpus.js';
import { languageProbabilities } from '../corpus/split-corpus.js';
import type { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';
import { int32Bytes, packSentences, writeCorpus } from '../train/write-corpus.js';
import { demonstrationIds } from './demonstration-ids.js';
import type { UposSentence } from './read-tagged-train.js';

/** What the model card reports about the tagged lines of one language. */
export interface TaggedRow {
  language: string;
  trainSentences: number;
  heldOutSentences: number;
  trainTokens: number;
  probability: number;
}

const key = (words: readonly string[]): string => words.join('\u0001');

/**
 * Writes the decoder's corpus to `<workDir>/corpus/`: the plain sentences exactly as the encoder's
 * `--export-corpus` does (`writeCorpus`; `[CLS] w… [SEP]`, same held-out split), plus the tagged
 * train-split sentences as structured-prompting demonstrations in `tagged-<split>.*.i32`
 * (tokens, offsets, languages, and `tagmask`: 1 at each tag token). A tagged sentence whose words
 * are a held-out sentence of the plain split is held out too, so held-out text is never trained
 * on in either form; those give the held-out tag accuracy. `decoder.json` adds the tagged
 * languages' sampling probabilities (temperature `alpha` over their tagged tokens).
 */
export async function writeDecoderCorpus(
  workDir: string,
  corpora: readonly LanguageCorpus[],
  tagged: ReadonlyMap<string, readonly UposSentence[]>,
  tokenizer: WordPieceTokenizer,
  alpha: number,
): Promise<TaggedRow[]> {
  const train = corpora.map((c) => c.train.map((s) => tokenizer.encodeWords(s)));
  const heldOut = new Map(corpora.map((c) => [c.language, c.heldOut.map((s) => tokenizer.encodeWords(s))]));
  const sizes = train.map((l) => l.reduce((a, s) => a + s.length, 0));
  await writeCorpus(workDir, corpora, train, heldOut, languageProbabilities(sizes, alpha), tokenizer);

  const splits = { train: corpora.map(() => [] as number[][]), heldout: corpora.map(() => [] as number[][]) };
  const masks = { train: corpora.map(() => [] as number[][]), heldout: corpora.map(() => [] as number[][]) };
  corpora.forEach((c, l) => {
    const held = new Set(c.heldOut.map(key));
    for (const s of tagged.get(c.language) ?? []) {
      const split = held.has(key(s.words)) ? 'heldout' : 'train';
      const { ids, tagMask } = demonstrationIds(tokenizer, s.words, s.tags);
      splits[split][l].push(ids);
      masks[split][l].push(tagMask);
    }
  });
  const dir = join(workDir, 'corpus');
  for (const split of ['train', 'heldout'] as const) {
    const packed = packSentences(splits[split].map((l) => l.map((s) => Int32Array.from(s))));
    packed.tagmask = Int32Array.from(masks[split].flat(2));
    for (const [part, array] of Object.entries(packed)) {
      await writeFileAtomic(join(dir, `tagged-${split}.${part}.i32`), int32Bytes(array));
    }
  }
  const taggedTokens = splits.train.map((l) => l.reduce((a, s) => a + s.length, 0));
  const probabilities = languageProbabilities(taggedTokens, alpha);
  const rows = corpora
    .map((c, l) => ({
      language: c.language,
      trainSentences: splits.train[l].length,
      heldOutSentences: splits.heldout[l].length,
      trainTokens: taggedTokens[l],
      probability: probabilities[l],
    }))
    .filter((r) => r.trainSentences > 0);
  const meta = { taggedProbabilities: probabilities, bosId: tokenizer.clsId, sepId: tokenizer.sepId };
  await writeFileAtomic(join(dir, 'decoder.json'), `${JSON.stringify(meta, null, 2)}\n`);
  return rows;
}
