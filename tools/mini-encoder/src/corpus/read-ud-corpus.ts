import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { FileFormatError, InvalidArgumentError, checkOptions } from '@xling/core';

/** The word forms of one CoNLL-U file. */
export interface UdCorpusFile {
  treebank: string;
  language: string;
  split: string;
  file: string;
  /** One array of FORMs per sentence (multiword tokens as their surface form). */
  sentences: string[][];
}

/** Options of {@link readUdCorpus}. */
export interface ReadUdCorpusOptions {
  /**
   * UD folder with `MANIFEST.tsv`.
   * @defaultValue env `XLING_UD_DIR`, else `../shared/data/ud` relative to the repository root
   */
  udDir?: string;
  /**
   * Splits to read. The test split is refused: the encoder must never see it.
   * @defaultValue `['train', 'dev']`
   */
  splits?: string[];
}

/** Finds the repository root (the folder with pnpm-workspace.yaml) above `start`. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
  return dir;
}

/** The UD folder: `XLING_UD_DIR`, else `../shared/data/ud` relative to the repository root. */
export function defaultUdDir(): string {
  return process.env.XLING_UD_DIR ?? resolve(findRepoRoot(), '../shared/data/ud');
}

/**
 * Parses the FORM column of CoNLL-U text: comments and empty nodes (`8.1`) are dropped, a
 * multiword token (`3-4`) is kept as one word with its surface form and its syntactic words are
 * skipped, as in METHOD.md section 1.
 *
 * @throws XLING_FILE_FORMAT on a token line with fewer than 10 columns.
 */
export function parseConlluForms(text: string, file = '<text>'): string[][] {
  const sentences: string[][] = [];
  let words: string[] = [];
  let skipUntil = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') {
      if (words.length > 0) sentences.push(words);
      words = [];
      skipUntil = 0;
      continue;
    }
    if (line.startsWith('#')) continue;
    const cols = line.split('\t');
    if (cols.length < 10) {
      throw new FileFormatError({
        file,
        line: i + 1,
        column: 1,
        ruleId: 'conllu-columns',
        reason: `has ${cols.length} columns, expected 10`,
      });
    }
    const id = cols[0];
    if (id.includes('.')) continue;
    const dash = id.indexOf('-');
    if (dash >= 0) {
      skipUntil = Number(id.slice(dash + 1));
      words.push(cols[1]);
      continue;
    }
    if (Number(id) <= skipUntil) continue;
    words.push(cols[1]);
  }
  if (words.length > 0) sentences.push(words);
  return sentences;
}

/**
 * Reads the word forms of every treebank file listed in the UD folder's `MANIFEST.tsv` for the
 * requested splits (train and dev by default; test is refused).
 *
 * @throws XLING_INVALID_ARGUMENT when `splits` contains `test`; XLING_FILE_FORMAT on a bad manifest.
 */
export async function readUdCorpus(options: ReadUdCorpusOptions = {}): Promise<UdCorpusFile[]> {
  const { splits: _splits, ...rest } = options;
  checkOptions(rest, { udDir: { type: 'string', optional: true } }, 'readUdCorpus');
  const { udDir = defaultUdDir(), splits = ['train', 'dev'] } = options;
  if (!Array.isArray(splits) || splits.some((s) => typeof s !== 'string')) {
    throw new InvalidArgumentError('splits', 'readUdCorpus', 'must be an array of split names.');
  }
  if (splits.includes('test')) {
    throw new InvalidArgumentError(
      'splits',
      'readUdCorpus',
      "must not contain 'test': the encoder never sees test text.",
    );
  }
  const manifestPath = join(udDir, 'MANIFEST.tsv');
  const rows = (await readFile(manifestPath, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const header = rows[0].split('\t');
  const col = (name: string): number => {
    const k = header.indexOf(name);
    if (k < 0) {
      throw new FileFormatError({
        file: manifestPath,
        line: 1,
        column: 1,
        ruleId: 'manifest-header',
        reason: `has no '${name}' column`,
      });
    }
    return k;
  };
  const [cTreebank, cLang, cSplit, cFile] = [col('treebank'), col('lang'), col('split'), col('file')];
  const out: UdCorpusFile[] = [];
  for (const row of rows.slice(1)) {
    const cells = row.split('\t');
    if (!splits.includes(cells[cSplit])) continue;
    const path = join(udDir, cells[cFile]);
    let bytes = await readFile(path);
    if (path.endsWith('.gz')) bytes = gunzipSync(bytes);
    out.push({
      treebank: cells[cTreebank],
      language: cells[cLang],
      split: cells[cSplit],
      file: cells[cFile],
      sentences: parseConlluForms(bytes.toString('utf8'), path),
    });
  }
  return out;
}
