import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type RepresentationKey, writeFileAtomic } from '@xling/core';
import type { ResolvedTreebank } from '@xling/ud';
import {
  type ExtractSplitOptions,
  type ExtractedSplit,
  type ReadFacts,
  splitKeys,
  storeSplitName,
} from './extract-split.js';
import { sampleName } from './read-split.js';

// Reading a split means parsing and checking every sentence of its files to draw the sample; a
// split whose representations are stored is needed again by every later process of a run (each
// shard, the gather, the assembly), so what they need of it is kept beside the store, keyed by
// the extraction unit and checked against the files it was read from.

interface SplitFile {
  format: 'xling-split';
  /** The split's files when it was read: a file changed since is read again. */
  files: Array<{ path: string; size: number; mtimeMs: number }>;
  split: ReadFacts;
}

/** What a cached split must agree with: the split's options as {@link extractSplit} takes them. */
export type SplitExpectation = Pick<
  ExtractSplitOptions,
  'modelName' | 'layers' | 'pooling' | 'overflow' | 'cap' | 'seed'
>;

const fileOf = (dir: string, unitId: string) => join(dir, `${unitId}.json`);

/** The sizes and modification times of a split's files, taken before it is read. */
export async function splitFiles(
  treebank: ResolvedTreebank,
  split: ExtractedSplit['split'],
): Promise<SplitFile['files']> {
  const paths = (treebank.splits[split]?.files ?? []).map((f) => f.path);
  return Promise.all(
    paths.map(async (path) => {
      const { size, mtimeMs } = await stat(path);
      return { path, size, mtimeMs };
    }),
  );
}

/** Keeps what later processes need of a split read from `files` ({@link splitFiles}) as unit `unitId`. */
export async function saveSplit(
  dir: string,
  unitId: string,
  read: ExtractedSplit,
  files: SplitFile['files'],
): Promise<void> {
  const { stored: _, ...split } = read;
  const file: SplitFile = { format: 'xling-split', files, split };
  await writeFileAtomic(fileOf(dir, unitId), `${JSON.stringify(file)}\n`);
}

/** Whether `split` has the shape of a cached split of `treebank`'s `name` (a hand-edited file may not). */
function wellFormed(split: ReadFacts | undefined, treebank: string, name: string): split is ReadFacts {
  const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return (
    split?.treebank === treebank &&
    split.split === name &&
    typeof split.storeSplit === 'string' &&
    count(split.available) &&
    count(split.used) &&
    typeof split.preprocess === 'object' &&
    split.preprocess !== null &&
    Array.isArray(split.keys) &&
    Array.isArray(split.forms) &&
    split.forms.every((words) => Array.isArray(words) && words.every((w) => typeof w === 'string'))
  );
}

/**
 * The split of unit `unitId` as {@link saveSplit} kept it, when its files are unchanged and it
 * agrees with `expected` (its sample and keys); undefined otherwise (read it again).
 */
export async function loadSplit(
  dir: string,
  unitId: string,
  treebank: ResolvedTreebank,
  name: ExtractedSplit['split'],
  expected: SplitExpectation,
): Promise<ReadFacts | undefined> {
  const path = fileOf(dir, unitId);
  if (!existsSync(path)) return undefined;
  let file: SplitFile;
  try {
    file = JSON.parse(await readFile(path, 'utf8')) as SplitFile;
  } catch {
    return undefined; // unreadable: read the treebank again, which rewrites it
  }
  const split = file?.split;
  if (file?.format !== 'xling-split' || !wellFormed(split, treebank.name, name)) return undefined;
  const current = await splitFiles(treebank, name).catch(() => undefined);
  if (JSON.stringify(current) !== JSON.stringify(file.files)) return undefined;
  const storeSplit = storeSplitName(
    sampleName(name, split.available, expected.cap, expected.seed),
    expected.overflow,
  );
  // The same keys, in whatever order the extraction listed its layers.
  const byLayer = (keys: RepresentationKey[]) => JSON.stringify([...keys].sort((a, b) => a.layer - b.layer));
  const keys = splitKeys(expected, treebank.name, storeSplit);
  if (split.storeSplit !== storeSplit || byLayer(split.keys) !== byLayer(keys)) return undefined;
  if (split.used !== Math.min(split.available, expected.cap) || split.forms?.length !== split.used)
    return undefined;
  return split;
}
