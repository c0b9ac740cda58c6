// Makes packages/meta/src/__fixtures__/ud-tiny-bert/*.safetensors: word vectors of real UD
// sentences (dev = fitting split, test) from @xling/extract's tiny random BERT fixture, layer 2,
// first-subword pooling, stored with the tensor names of a representation-store entry
// (words as F16, root, word_counts, upos, deprel, head). The end-to-end test of @xling/meta reads
// them with buildInstancesFromTensors, so @xling/meta itself never depends on extract or ud.
//
// Run from the repository root after building core, ud and extract:
//   node --import tsx scripts/golden/meta/make-ud-fixture.mts
// UD data: $XLING_UD_DIR, default ../shared/data/ud.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  deprel,
  encodeSafetensors,
  float32ToFloat16,
  stripDeprelSubtype,
  upos,
} from '../../../packages/core/dist/index.js';
import { HiddenStateModel, embedSentences } from '../../../packages/extract/dist/index.js';
import { preprocessSentences, readConllu } from '../../../packages/ud/dist/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const UD = process.env.XLING_UD_DIR ?? resolve(ROOT, '../shared/data/ud');
const OUT = join(ROOT, 'packages/meta/src/__fixtures__/ud-tiny-bert');
const TREEBANKS: Record<string, string> = {
  en: 'UD_English-EWT/en_ewt-ud',
  de: 'UD_German-GSD/de_gsd-ud',
  fr: 'UD_French-GSD/fr_gsd-ud',
  es: 'UD_Spanish-GSD/es_gsd-ud',
  it: 'UD_Italian-ISDT/it_isdt-ud',
  nl: 'UD_Dutch-Alpino/nl_alpino-ud',
};
const SENTENCES = { dev: 100, test: 40 };
const LAYER = 2;

const model = await HiddenStateModel.load(join(ROOT, 'packages/extract/src/__fixtures__/models/tiny-bert'));
mkdirSync(OUT, { recursive: true });
for (const [language, prefix] of Object.entries(TREEBANKS)) {
  for (const split of ['dev', 'test'] as const) {
    const raw = [];
    for await (const s of readConllu(join(UD, `${prefix}-${split}.conllu.gz`))) {
      raw.push(s);
      if (raw.length >= SENTENCES[split] * 2) break;
    }
    const { sentences } = preprocessSentences(raw);
    const embedded = await embedSentences(
      model,
      sentences.map((s) => s.words.map((w) => w.form)),
      { layers: [LAYER], pooling: 'first', overflow: 'window' },
    );
    const words: number[] = [];
    const roots: number[] = [];
    const counts: number[] = [];
    const uposIds: number[] = [];
    const deprelIds: number[] = [];
    const heads: number[] = [];
    for (let i = 0; i < sentences.length && counts.length < SENTENCES[split]; i++) {
      const e = embedded[i];
      if (e.skipped) continue;
      const m = e.words[LAYER].first!;
      words.push(...m.data);
      roots.push(...e.root[LAYER]);
      counts.push(m.rows);
      for (const w of sentences[i].words) {
        uposIds.push(upos.indexOf(w.upos));
        deprelIds.push(deprel.indexOf(stripDeprelSubtype(w.deprel)));
        heads.push(typeof w.head === 'number' ? w.head : -1);
      }
    }
    const d = model.hiddenSize;
    const bytes = encodeSafetensors(
      {
        words: { dtype: 'F16', shape: [uposIds.length, d], data: float32ToFloat16(Float32Array.from(words)) },
        root: { dtype: 'F16', shape: [counts.length, d], data: float32ToFloat16(Float32Array.from(roots)) },
        word_counts: { dtype: 'I32', shape: [counts.length], data: Int32Array.from(counts) },
        upos: { dtype: 'I32', shape: [uposIds.length], data: Int32Array.from(uposIds) },
        deprel: { dtype: 'I32', shape: [deprelIds.length], data: Int32Array.from(deprelIds) },
        head: { dtype: 'I32', shape: [heads.length], data: Int32Array.from(heads) },
      },
      {
        generator: 'scripts/golden/meta/make-ud-fixture.mts',
        model: 'extract tiny-bert fixture',
        layer: String(LAYER),
        treebank: prefix,
        split,
      },
    );
    writeFileSync(join(OUT, `${language}-${split}.safetensors`), bytes);
    console.log(language, split, counts.length, 'sentences', uposIds.length, 'words');
  }
}
