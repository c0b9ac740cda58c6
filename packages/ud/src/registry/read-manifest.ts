import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError } from '@xling/core';

/** A split of a UD treebank. */
export type UdSplit = 'train' | 'dev' | 'test';

/** The splits in their conventional order. */
export const UD_SPLITS: readonly UdSplit[] = Object.freeze(['train', 'dev', 'test']);

/** One row of MANIFEST.tsv: one staged `.conllu.gz` file of the offline UD copy. */
export interface ManifestEntry {
  /** UD repository name, e.g. `UD_English-EWT`. */
  treebank: string;
  /** Language code as used by the study. */
  language: string;
  split: UdSplit;
  /** Path of the file, relative to the UD directory. */
  file: string;
  sentences: number;
  /** Syntactic words: lines with an integer ID (the MANIFEST column `tokens`). */
  words: number;
  /** SHA-256 of the uncompressed file. */
  sha256: string;
  /** UD release the file belongs to, e.g. `2.16`. */
  udVersion: string;
  license: string;
  /** `main`, `low-resource` or `extra` as MANIFEST.tsv writes it (substitutes are `main`). */
  group: string;
  /** `master`, or a release tag for a file from an older release. */
  sourceRef: string;
  sourceCommit: string;
  /** Uncompressed size. */
  bytes: number;
  /** Compressed size. */
  gzBytes: number;
  /** True for a file from an older release (a `fallback-r2.N/` file). */
  olderRelease: boolean;
  /** Empty, or why the file is a fallback, or which treebank a substitute stands in for. */
  note: string;
}

const COLUMNS = [
  'treebank',
  'lang',
  'split',
  'file',
  'sentences',
  'tokens',
  'sha256',
  'ud_version',
  'license',
  'group',
  'source_ref',
  'source_commit',
  'bytes',
  'gz_bytes',
  'note',
] as const;

/**
 * Reads `MANIFEST.tsv` of a UD directory in the layout of the offline copy
 * (`shared/data/ud`). Returns `undefined` when the folder has no MANIFEST.tsv (e.g. an
 * extracted UD release).
 *
 * @example
 * const rows = await readManifest(resolveUdDir());
 * rows.find((r) => r.file.endsWith('en_ewt-ud-dev.conllu.gz'))?.sentences; // 2001
 * @throws XLING_FILE_FORMAT when the header or a row is malformed.
 */
export async function readManifest(dir: string): Promise<ManifestEntry[] | undefined> {
  const path = join(dir, 'MANIFEST.tsv');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = (lines[0] ?? '').replace(/\r$/, '').split('\t');
  const index = new Map(header.map((name, i) => [name, i]));
  for (const column of COLUMNS) {
    if (!index.has(column)) {
      throw new FileFormatError({
        file: path,
        line: 1,
        column: 0,
        ruleId: 'manifest-header',
        reason: `MANIFEST.tsv has no '${column}' column (header: ${header.join(', ')})`,
      });
    }
  }
  const entries: ManifestEntry[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i]!.replace(/\r$/, '').split('\t');
    const get = (column: (typeof COLUMNS)[number]): string => cells[index.get(column)!] ?? '';
    const fail = (reason: string): never => {
      throw new FileFormatError({ file: path, line: i + 1, column: 0, ruleId: 'manifest-row', reason });
    };
    const int = (column: (typeof COLUMNS)[number]): number => {
      const value = get(column);
      if (!/^\d+$/.test(value)) fail(`column '${column}' must be a non-negative integer, but got '${value}'`);
      return Number(value);
    };
    const split = get('split');
    if (split !== 'train' && split !== 'dev' && split !== 'test') {
      fail(`column 'split' must be train, dev or test, but got '${split}'`);
    }
    const file = get('file');
    if (file === '' || file.startsWith('/') || file.split('/').includes('..')) {
      fail(`column 'file' must be a relative path inside the folder, but got '${file}'`);
    }
    const sourceRef = get('source_ref');
    entries.push({
      treebank: get('treebank'),
      language: get('lang'),
      split: split as UdSplit,
      file,
      sentences: int('sentences'),
      words: int('tokens'),
      sha256: get('sha256'),
      udVersion: get('ud_version'),
      license: get('license'),
      group: get('group'),
      sourceRef,
      sourceCommit: get('source_commit'),
      bytes: int('bytes'),
      gzBytes: int('gz_bytes'),
      olderRelease: sourceRef !== 'master' || /(^|\/)fallback-/.test(file),
      note: get('note'),
    });
  }
  return entries;
}
