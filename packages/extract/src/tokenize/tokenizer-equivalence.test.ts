import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import { Tokenizer as PureTokenizer } from '@huggingface/tokenizers';
import { Tokenizer as NativeTokenizer } from 'tokenizers';
import { describe, expect, it } from 'vitest';
import { readModelFolder } from '../model-folder/read-model-folder.js';
import { copyModel, FIXTURES } from '../test-helpers.js';
import { WordTokenizer } from './word-tokenizer.js';

/*
 * Could WordTokenizer drop the native `tokenizers` (64 MB of platform binaries) for the pure-JS
 * `@huggingface/tokenizers`? Only if both give the same ids, word by word without special tokens
 * as WordTokenizer encodes. They do not (issue 15), so xling keeps the native library: this test
 * pins every word where they differ, so that a new version of either is judged again.
 */

const repoRoot = resolve(FIXTURES, '../../../..');
const udDir = process.env.XLING_UD_DIR ?? resolve(repoRoot, '../shared/data/ud');
/** Distinct UD forms taken from each treebank (test split first, then dev): ~30,000 in all. */
const FORMS_PER_TREEBANK = 400;

const FINAL_SIGMA = 'uncased: native lowercases Σ to σ letter by letter, JS toLowerCase() gives final ς';
const CJK_SUPPLEMENT = 'BertNormalizer: JS checks UTF-16 units, so CJK beyond U+FFFF is not split off';
const NEW_PUNCTUATION = 'U+061D (Unicode 14, Po): JS splits it off as punctuation, native does not know it';
const NEW_FORMAT = 'U+0890 (Unicode 14, Cf): JS drops it as a control character, native keeps it';
const NEW_MARK = 'uncased: U+0897 (Unicode 14, Mn): JS strips it as an accent, native keeps it';
const ZWJ = 'Precompiled: JS approximates the charsmap by NFKC and turns U+200D into a space';
const COMPOSES = 'Precompiled: JS NFKC composes the decomposed U+0344 with the letter before it';

/** BertNormalizer differences, shared by every WordPiece tokenizer here (cased or not). */
const BERT = { a𠀀b: CJK_SUPPLEMENT, 'a\u061db': NEW_PUNCTUATION, 'a\u0890b': NEW_FORMAT };

/**
 * Words where @huggingface/tokenizers 0.2.0 gives other ids than tokenizers 0.23.2, and why. The
 * Unicode ones also depend on the Node version: JS uses the engine's Unicode tables.
 */
const KNOWN_DIFFERENCES: Record<string, Record<string, string>> = {
  'bert-cased': BERT,
  'tiny-bert': BERT,
  'xling-mini-encoder': BERT,
  'bert-uncased': {
    ...BERT,
    'a\u0897b': NEW_MARK,
    ΕΛΑΣ: FINAL_SIGMA,
    ΕΣΑΣ: FINAL_SIGMA,
    ΕΔΕΣ: FINAL_SIGMA,
    'ΕΑΜ-ΕΛΑΣ': FINAL_SIGMA,
    'ΕΑΜ-ΕΛΑΣ-ΟΠΛΑ': FINAL_SIGMA,
    ΟΔΟΣ: FINAL_SIGMA,
  },
  'xlmr-unigram': {
    'टिप्पणि\u200dयों': ZWJ,
    'a\u200db': ZWJ,
    '👨\u200d👩\u200d👧': ZWJ,
    'a\u0344b': COMPOSES,
  },
};

/** Hand-picked words beside the UD sample: scripts, marks, emoji, invisible and new characters. */
const EDGE_WORDS = [
  ...['1,234.56', '٣٤٥', '१२३', '½', '①', '2024-01-01'],
  ...['😀', '👍🏽', '🇫🇷', '👨\u200d👩\u200d👧'],
  ...['e\u0301', 'a\u0344b', 'ḍ̣', 'ﬁnance', 'Ｔｏｋｙｏ', 'ｶﾀｶﾅ'],
  ...['İstanbul', 'ΟΔΟΣ', 'STRAẞE', 'ǅemal'],
  ...['a\u00adb', 'a\u200bb', 'a\u200cb', 'a\u200db', 'a\ufeffb', '10\u00a0000', 'x\u0085y'],
  ...['a𠀀b', '𡃁仔', 'a\u061db', 'a\u0890b', 'a\u0897b'],
  ...['sinh viên', '[CLS]', '<s>', '<unk>', '▁', 'a▁b', 'x'.repeat(101)],
  // UD forms (el_gdt, hi_pud) where the libraries differ.
  ...['ΕΛΑΣ', 'ΕΣΑΣ', 'ΕΔΕΣ', 'ΕΑΜ-ΕΛΑΣ', 'ΕΑΜ-ΕΛΑΣ-ΟΠΛΑ', 'टिप्पणि\u200dयों'],
];

interface TokenizerCase {
  name: string;
  json: string;
  config: Record<string, unknown>;
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Tokenizers trained by scripts/golden/extract/make_tokenizers.py. */
function trainedCases(): TokenizerCase[] {
  const dir = join(FIXTURES, 'tokenizers');
  const manifest = readJson(join(dir, 'manifest.json')) as {
    tokenizers: Record<string, { tokenizer_config: Record<string, unknown> }>;
  };
  return Object.entries(manifest.tokenizers).map(([name, entry]) => ({
    name,
    json: gunzipSync(readFileSync(join(dir, `${name}.json.gz`))).toString('utf8'),
    config: entry.tokenizer_config,
  }));
}

/** The model folders of the repository. */
function repoCases(): TokenizerCase[] {
  const folders = {
    'tiny-bert': join(FIXTURES, 'models', 'tiny-bert'),
    'tiny-llama': join(FIXTURES, 'models', 'tiny-llama'),
    'xling-mini-encoder': join(repoRoot, 'models', 'xling-mini-encoder'),
  };
  return Object.entries(folders).map(([name, dir]) => ({
    name,
    json: readFileSync(join(dir, 'tokenizer.json'), 'utf8'),
    config: readJson(join(dir, 'tokenizer_config.json')),
  }));
}

/** Adds to `out` up to `wanted` word forms of `file` not in `seen`; returns how many it added. */
async function addDistinctForms(file: string, wanted: number, seen: Set<string>, out: string[]) {
  const input = createReadStream(file).pipe(createGunzip());
  let added = 0;
  for await (const line of createInterface({ input })) {
    if (added >= wanted) break;
    const columns = line.split('\t', 2);
    // Word lines only: multiword tokens (1-2) and empty nodes (1.1) are not what xling encodes.
    if (columns.length < 2 || !/^\d+$/.test(columns[0]) || seen.has(columns[1])) continue;
    seen.add(columns[1]);
    out.push(columns[1]);
    added++;
  }
  input.destroy();
  return added;
}

/** Edge words, then distinct forms of every treebank under `dir` (none when it is absent). */
async function wordSample(dir: string): Promise<string[]> {
  const words = [...EDGE_WORDS];
  const seen = new Set(words);
  if (!existsSync(dir)) return words;
  for (const treebank of readdirSync(dir)
    .filter((name) => name.startsWith('UD_'))
    .sort()) {
    const files = readdirSync(join(dir, treebank));
    let left = FORMS_PER_TREEBANK;
    for (const split of ['test', 'dev']) {
      const file = files.find((name) => name.endsWith(`-ud-${split}.conllu.gz`));
      if (file !== undefined && left > 0)
        left -= await addDistinctForms(join(dir, treebank, file), left, seen, words);
    }
  }
  return words;
}

async function nativeIds(json: string, words: readonly string[]): Promise<number[][]> {
  const encodings = await NativeTokenizer.fromString(json).encodeBatch([...words], {
    addSpecialTokens: false,
  });
  return encodings.map((encoding) => encoding.getIds());
}

function pureIds(tokenizerCase: TokenizerCase, words: readonly string[]): number[][] {
  const tokenizer = new PureTokenizer(JSON.parse(tokenizerCase.json), tokenizerCase.config);
  return words.map((word) => tokenizer.encode(word, { add_special_tokens: false }).ids);
}

async function differingWords(tokenizerCase: TokenizerCase, words: readonly string[]): Promise<string[]> {
  const expected = await nativeIds(tokenizerCase.json, words);
  const actual = pureIds(tokenizerCase, words);
  return words.filter((_, i) => expected[i].join() !== actual[i].join());
}

/** Ids of the tokenizer_config tokens and the vocabulary size: what WordTokenizer reads besides ids. */
function specialIds(tokenizerCase: TokenizerCase) {
  const native = NativeTokenizer.fromString(tokenizerCase.json);
  const pure = new PureTokenizer(JSON.parse(tokenizerCase.json), tokenizerCase.config);
  const names = Object.values(tokenizerCase.config).filter((v): v is string => typeof v === 'string');
  return {
    native: [native.getVocabSize(true), ...names.map((name) => native.tokenToId(name) ?? null)],
    pure: [pure.get_vocab(true).size, ...names.map((name) => pure.token_to_id(name) ?? null)],
  };
}

describe('@huggingface/tokenizers against the native tokenizers, word by word', async () => {
  const words = await wordSample(udDir);
  const equivalent = [...trainedCases(), ...repoCases()].filter((c) => c.name !== 'unigram-nmt');

  it.each(equivalent.map((c) => [c.name, c] as const))(
    '%s: same ids except the known differences',
    async (name, tokenizerCase) => {
      const known = Object.keys(KNOWN_DIFFERENCES[name] ?? {});
      expect((await differingWords(tokenizerCase, words)).sort()).toEqual(known.sort());
      const ids = specialIds(tokenizerCase);
      expect(ids.pure).toEqual(ids.native);
    },
    60_000,
  );

  it('samples UD forms of many treebanks when the UD directory is there', () => {
    expect(words.length).toBeGreaterThan(existsSync(udDir) ? 25_000 : EDGE_WORDS.length - 1);
  });

  it('cannot load an Nmt normalizer (tokenizers` own SentencePiece Unigram) with @huggingface/tokenizers', async () => {
    const [unigramNmt] = trainedCases().filter((c) => c.name === 'unigram-nmt');
    expect((await nativeIds(unigramNmt.json, ['tokenizer']))[0].length).toBeGreaterThan(0);
    expect(() => pureIds(unigramNmt, ['tokenizer'])).toThrow(/Unknown Normalizer type: Nmt/);
  });

  it('splits words mixing ASCII and other letters with the Whitespace pre-tokenizer (ASCII \\w in JS)', async () => {
    const build = join(FIXTURES, 'build', 'xlm-roberta');
    const whitespace: TokenizerCase = {
      name: 'build/xlm-roberta',
      json: readFileSync(join(build, 'tokenizer.json'), 'utf8'),
      config: readJson(join(build, 'tokenizer_config.json')),
    };
    expect(await differingWords(whitespace, ['cats', 'Москва', 'naïve'])).toEqual(['naïve']);
  });
});

describe('WordTokenizer', () => {
  it('keeps the native ids where @huggingface/tokenizers differs (uncased Greek final sigma)', async () => {
    const [uncased] = trainedCases().filter((c) => c.name === 'bert-uncased');
    const dir = await copyModel('tiny-bert');
    await writeFile(join(dir, 'tokenizer.json'), uncased.json);
    await writeFile(join(dir, 'tokenizer_config.json'), JSON.stringify(uncased.config));
    const words = ['ΕΛΑΣ', 'ΟΔΟΣ'];
    const ids = await WordTokenizer.load(await readModelFolder(dir)).tokenizeWords(words);
    expect(ids).toEqual(await nativeIds(uncased.json, words));
    expect(ids).not.toEqual(pureIds(uncased, words));
  });
});
