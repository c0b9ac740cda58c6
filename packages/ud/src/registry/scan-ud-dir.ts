import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UdDataError } from './ud-data-error.js';
import { readManifest, UD_SPLITS, type UdSplit } from './read-manifest.js';

/** One CoNLL-U file of a treebank split found in a UD directory. */
export interface UdFile {
  /** UD repository name, e.g. `UD_English-EWT`. */
  treebank: string;
  split: UdSplit;
  /** Absolute path. */
  path: string;
  /** Path relative to the UD directory. */
  file: string;
  /** True for a file from an older release than the treebank's current one (`fallback-r2.N/`). */
  olderRelease: boolean;
  /** UD release of the file, when known (MANIFEST.tsv, a `fallback-r2.N` folder, a release folder). */
  udVersion?: string;
  /** Sentences, from MANIFEST.tsv. */
  sentences?: number;
  /** Syntactic words, from MANIFEST.tsv. */
  words?: number;
  /** SHA-256 of the uncompressed file, from MANIFEST.tsv. */
  sha256?: string;
  /** MANIFEST.tsv note (why a fallback, what a substitute replaces). */
  note?: string;
}

/** A split that the offline copy lacks, from MISSING.tsv. */
export interface MissingSplit {
  treebank: string;
  split: UdSplit;
  /** Sentences the split has in the release. */
  expectedSentences: number;
  /** Words the split has in the release. */
  expectedWords: number;
  udVersion: string;
  /** Why it is missing. */
  status: string;
}

/** What a UD directory holds. */
export interface UdDirIndex {
  /** Absolute path of the folder that holds the `UD_*` treebank folders. */
  dir: string;
  /**
   * `manifest`: the offline copy's layout (MANIFEST.tsv lists every file);
   * `release`: an extracted official release (`ud-treebanks-v2.X/UD_*\/*.conllu`), found by listing.
   */
  layout: 'manifest' | 'release';
  /** UD release of the whole folder, when its name says so (`ud-treebanks-v2.15` -> `2.15`). */
  release?: string;
  /** Every file, sorted by treebank then split (train, dev, test). */
  files: UdFile[];
  /** Names of the treebanks that have at least one file, sorted. */
  treebanks: string[];
  /** Splits the offline copy lacks (MISSING.tsv); empty for a release. */
  missingSplits: MissingSplit[];
}

const FILE_PATTERN = /^[^/]+-ud-(train|dev|test)(?:-[A-Za-z0-9]+)?\.conllu(?:\.gz)?$/;
const FALLBACK_PATTERN = /^fallback-r?(\d+\.\d+)$/;
const RELEASE_PATTERN = /^ud-treebanks-v?(\d+\.\d+)$/;

async function listDir(dir: string): Promise<Array<{ name: string; isDirectory: boolean }>> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

async function readMissing(dir: string): Promise<MissingSplit[]> {
  let text: string;
  try {
    text = await readFile(join(dir, 'MISSING.tsv'), 'utf8');
  } catch {
    return [];
  }
  const [head = '', ...rows] = text.split('\n').filter((line) => line.trim() !== '');
  const index = new Map(head.split('\t').map((name, i) => [name, i]));
  const out: MissingSplit[] = [];
  for (const row of rows) {
    const cells = row.split('\t');
    const get = (name: string) => cells[index.get(name) ?? -1] ?? '';
    const split = get('split') as UdSplit;
    if (!UD_SPLITS.includes(split)) continue;
    out.push({
      treebank: get('treebank'),
      split,
      expectedSentences: Number(get('expected_sentences')) || 0,
      expectedWords: Number(get('expected_tokens')) || 0,
      udVersion: get('ud_version'),
      status: get('status'),
    });
  }
  return out;
}

function sortFiles(files: UdFile[]): UdFile[] {
  return files.sort(
    (a, b) =>
      (a.treebank < b.treebank ? -1 : a.treebank > b.treebank ? 1 : 0) ||
      UD_SPLITS.indexOf(a.split) - UD_SPLITS.indexOf(b.split) ||
      Number(a.olderRelease) - Number(b.olderRelease) ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
  );
}

async function scanRelease(dir: string, release: string | undefined): Promise<UdFile[]> {
  const files: UdFile[] = [];
  for (const folder of await listDir(dir)) {
    if (!folder.isDirectory || !folder.name.startsWith('UD_')) continue;
    const treebank = folder.name;
    const visit = async (relative: string, olderVersion: string | undefined) => {
      for (const entry of await listDir(join(dir, relative))) {
        const fallback = FALLBACK_PATTERN.exec(entry.name);
        if (entry.isDirectory && fallback && olderVersion === undefined) {
          await visit(`${relative}/${entry.name}`, fallback[1]);
          continue;
        }
        const match = FILE_PATTERN.exec(entry.name);
        if (entry.isDirectory || !match) continue;
        const file = `${relative}/${entry.name}`;
        const udVersion = olderVersion ?? release;
        files.push({
          treebank,
          split: match[1] as UdSplit,
          path: join(dir, file),
          file,
          olderRelease: olderVersion !== undefined,
          ...(udVersion === undefined ? {} : { udVersion }),
        });
      }
    };
    await visit(treebank, undefined);
  }
  return files;
}

/**
 * Indexes the CoNLL-U files of a UD directory in either layout:
 * - the offline copy (`shared/data/ud`): MANIFEST.tsv lists every file with its counts and
 *   checksum, MISSING.tsv the splits that are not there; files under `fallback-r2.N/` come from
 *   an older release and are flagged `olderRelease`;
 * - an official release tarball extracted: `UD_*\/<code>_<name>-ud-<split>.conllu` (also
 *   `.conllu.gz`), found by listing; `dir` may be the `ud-treebanks-v2.X` folder itself or the
 *   folder that holds it.
 *
 * @example
 * const index = await scanUdDir(resolveUdDir());
 * index.layout; // 'manifest'
 * index.files.filter((f) => f.treebank === 'UD_English-EWT').map((f) => f.split); // ['dev', 'test']
 * @throws XLING_UD_DATA_MISSING when the folder holds no treebank in either layout.
 * @throws XLING_FILE_FORMAT when MANIFEST.tsv is malformed.
 */
export async function scanUdDir(dir: string): Promise<UdDirIndex> {
  let root = resolve(dir);
  const manifest = await readManifest(root);
  if (manifest !== undefined) {
    const files = manifest.map(
      (entry): UdFile => ({
        treebank: entry.treebank,
        split: entry.split,
        path: join(root, entry.file),
        file: entry.file,
        olderRelease: entry.olderRelease,
        udVersion: entry.udVersion,
        sentences: entry.sentences,
        words: entry.words,
        sha256: entry.sha256,
        ...(entry.note === '' ? {} : { note: entry.note }),
      }),
    );
    sortFiles(files);
    return {
      dir: root,
      layout: 'manifest',
      files,
      treebanks: [...new Set(files.map((f) => f.treebank))].sort(),
      missingSplits: await readMissing(root),
    };
  }
  let entries = await listDir(root);
  let release = RELEASE_PATTERN.exec(root.split(/[\\/]/).at(-1) ?? '')?.[1];
  if (!entries.some((e) => e.isDirectory && e.name.startsWith('UD_'))) {
    // The folder that holds the extracted tarball: descend into the newest ud-treebanks-v2.X.
    const releases = entries
      .filter((e) => e.isDirectory && RELEASE_PATTERN.test(e.name))
      .map((e) => ({ name: e.name, version: RELEASE_PATTERN.exec(e.name)![1]!.split('.').map(Number) }))
      .sort((a, b) => b.version[0]! - a.version[0]! || b.version[1]! - a.version[1]!);
    if (releases.length > 0) {
      root = join(root, releases[0]!.name);
      release = releases[0]!.version.join('.');
      entries = await listDir(root);
    }
  }
  const files = sortFiles(await scanRelease(root, release));
  if (files.length === 0) {
    throw new UdDataError(
      `'${root}' holds no UD treebank: expected MANIFEST.tsv (offline copy) or UD_*/<code>-ud-<split>.conllu folders (extracted UD release).`,
      { dir: root },
    );
  }
  return {
    dir: root,
    layout: 'release',
    ...(release === undefined ? {} : { release }),
    files,
    treebanks: [...new Set(files.map((f) => f.treebank))].sort(),
    missingSplits: [],
  };
}
