import { join } from 'node:path';
import { FileFormatError } from '@xling/core';
import { createPreprocessor, readConllu, readManifest } from '@xling/ud';

/** A UD sentence as structured prompting shows it: word forms and their UPOS tags. */
export interface UposSentence {
  words: string[];
  tags: string[];
}

/**
 * The UPOS-tagged sentences of every treebank's **train** split by language, pre-processed as
 * the ICL experiment reads UD (`@xling/ud`'s preprocessor: multiword tokens merged, empty nodes
 * dropped, at most 128 words, valid trees only). Dev and test are never read: the decoder's
 * tagged lines come from training data only.
 *
 * @throws XLING_FILE_FORMAT when the folder has no MANIFEST.tsv.
 */
export async function readTaggedTrain(udDir: string): Promise<Map<string, UposSentence[]>> {
  const manifest = await readManifest(udDir);
  if (manifest === undefined) {
    throw new FileFormatError({
      file: join(udDir, 'MANIFEST.tsv'),
      line: 1,
      column: 1,
      ruleId: 'manifest-missing',
      reason: 'is missing',
    });
  }
  const out = new Map<string, UposSentence[]>();
  const preprocessor = createPreprocessor();
  for (const entry of manifest.filter((e) => e.split === 'train')) {
    const sentences = out.get(entry.language) ?? [];
    for await (const sentence of readConllu(join(udDir, entry.file))) {
      const kept = preprocessor.apply(sentence);
      if (kept) sentences.push({ words: kept.words.map((w) => w.form), tags: kept.words.map((w) => w.upos) });
    }
    out.set(entry.language, sentences);
  }
  return out;
}
