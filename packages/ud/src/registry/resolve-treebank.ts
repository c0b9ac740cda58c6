import { stat } from 'node:fs/promises';
import { checkOptions, InvalidArgumentError } from '@xling/core';
import { matchTreebankName, similarTreebankNames } from './match-treebank-name.js';
import { UD_SPLITS, type UdSplit } from './read-manifest.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { scanUdDir, type UdDirIndex, type UdFile } from './scan-ud-dir.js';
import { type TreebankGroup, TREEBANKS } from './treebanks.js';
import { UdDataError } from './ud-data-error.js';

/** A split that must be present: a named split, or `fit` (train, or dev where train is missing). */
export type TreebankRequirement = UdSplit | 'fit';

/** Options of {@link resolveTreebank}. */
export interface ResolveTreebankOptions {
  /** UD directory, either layout. @defaultValue resolveUdDir() */
  dir?: string;
  /** A {@link scanUdDir} result to reuse instead of scanning `dir` again. */
  index?: UdDirIndex;
  /**
   * What must be there, else the call throws `XLING_UD_DATA_MISSING` listing what is missing and
   * the documented fallback. `fit` accepts dev where train is missing (the documented fallback).
   * With `[]`, any one split is enough.
   * @defaultValue []
   */
  require?: readonly TreebankRequirement[];
  /**
   * Use files from an older release (`fallback-r2.N/`) where the current release's split is
   * missing. They are always reported in `substitutions`.
   * @defaultValue true
   */
  allowOlderRelease?: boolean;
}

/** A departure from "the current release's train/dev/test of the study's treebank" that reports must declare. */
export interface Substitution {
  /**
   * `dev-for-fitting`: no train split, so dev is used for fitting and test for testing;
   * `older-release`: a split comes from an older UD release;
   * `substitute-treebank`: another treebank stands in for the study's (PUD for Arabic, Hindi).
   */
  kind: 'dev-for-fitting' | 'older-release' | 'substitute-treebank';
  /** The treebank that is used. */
  treebank: string;
  /** The split concerned (`older-release`). */
  split?: UdSplit;
  /** The treebank that is replaced (`substitute-treebank`). */
  replaces?: string;
  /** One sentence for reports. */
  message: string;
}

/** The files of one split. */
export interface ResolvedSplit {
  split: UdSplit;
  /** Usually one file; a release may split a large train set into several. */
  files: UdFile[];
  /** True when the files come from an older release. */
  olderRelease: boolean;
  /** Sentences in all files, when MANIFEST.tsv gives them. */
  sentences?: number;
  /** Syntactic words in all files, when MANIFEST.tsv gives them. */
  words?: number;
}

/** A treebank resolved to files. */
export interface ResolvedTreebank {
  /** UD repository name. */
  name: string;
  /** Language code (from the registry; for unknown treebanks the file-name code). */
  language: string;
  /** Registry group, undefined for a treebank the registry does not know. */
  group: TreebankGroup | undefined;
  /** Absolute UD directory the files were found in. */
  dir: string;
  layout: 'manifest' | 'release';
  /** The splits that are there. */
  splits: Partial<Record<UdSplit, ResolvedSplit>>;
  /** The splits that are not there, in train/dev/test order. */
  missing: UdSplit[];
  /** The split to fit on: train, else dev (documented fallback), else null (test only). */
  fitSplit: 'train' | 'dev' | null;
  /** The split to test on, null when there is no test split. */
  testSplit: 'test' | null;
  /** Everything a report must declare about these files. */
  substitutions: Substitution[];
}

export const DEV_FOR_FITTING_FALLBACK =
  'where a language has no train split, dev is used for fitting and test for testing (METHOD.md section 1)';

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function describeMissing(index: UdDirIndex, treebank: string, split: UdSplit): string {
  const known = index.missingSplits.find((m) => m.treebank === treebank && m.split === split);
  if (!known) return split;
  return `${split} (${known.expectedSentences.toLocaleString('en-US')} sentences in UD ${known.udVersion}; ${known.status})`;
}

/**
 * Resolves a treebank to its files in a UD directory (either layout, see {@link scanUdDir}),
 * applying and recording the documented fallbacks: where train is missing, `fitSplit` is
 * `'dev'` and `substitutions` says so; files from an older release are flagged.
 *
 * @param treebank UD name (`UD_English-EWT`), the same in any case or without `UD_`, or the
 *   file-name code (`en_ewt`).
 * @example
 * const ewt = await resolveTreebank('UD_English-EWT', { require: ['fit', 'test'] });
 * ewt.fitSplit; // 'dev' (the offline copy has no EWT train file)
 * ewt.substitutions[0].kind; // 'dev-for-fitting'
 * @throws XLING_UD_DATA_MISSING when the treebank is unknown, has no file, or lacks a required
 *   split; the message lists what is missing and the documented fallback.
 */
export async function resolveTreebank(
  treebank: string,
  options: ResolveTreebankOptions = {},
): Promise<ResolvedTreebank> {
  const { require: requireOption, index: givenIndex, ...scalar } = options;
  const required: readonly TreebankRequirement[] = requireOption ?? [];
  checkOptions(
    scalar,
    { dir: { type: 'string' }, allowOlderRelease: { type: 'boolean' } },
    'resolveTreebank',
  );
  if (typeof treebank !== 'string' || treebank === '') {
    throw new InvalidArgumentError(
      'treebank',
      'resolveTreebank',
      `must be a non-empty string, but got ${String(treebank)}.`,
    );
  }
  if (!Array.isArray(required) || required.some((r) => r !== 'fit' && !UD_SPLITS.includes(r as UdSplit))) {
    throw new InvalidArgumentError(
      'options.require',
      'resolveTreebank',
      `must be an array of 'train', 'dev', 'test' or 'fit', but got ${JSON.stringify(required)}.`,
    );
  }
  const { allowOlderRelease = true } = scalar;
  const index = givenIndex ?? (await scanUdDir(resolveUdDir(scalar.dir)));
  const name = matchTreebankName(treebank, index);
  if (name === undefined) {
    const similar = similarTreebankNames(treebank, index);
    throw new UdDataError(
      `Unknown treebank '${treebank}': not in ${index.dir} and not in the registry.${
        similar.length > 0 ? ` Did you mean ${similar.join(', ')}?` : ''
      }`,
      { dir: index.dir, treebank, missing: [treebank] },
    );
  }
  const info = TREEBANKS.find((t) => t.name === name);
  const all = index.files.filter((f) => f.treebank === name);
  const language =
    info?.language ??
    all[0]?.file.split('/').at(-1)?.split('_')[0] ??
    name.replace(/^UD_/, '').split('-')[0]!;

  const splits: Partial<Record<UdSplit, ResolvedSplit>> = {};
  const missing: UdSplit[] = [];
  const notOnDisk: string[] = [];
  const substitutions: Substitution[] = [];
  for (const split of UD_SPLITS) {
    const candidates = all.filter((f) => f.split === split && (allowOlderRelease || !f.olderRelease));
    const current = candidates.filter((f) => !f.olderRelease);
    let chosen = current.length > 0 ? current : candidates;
    const present: UdFile[] = [];
    for (const file of chosen) {
      if (index.layout === 'release' || (await exists(file.path))) present.push(file);
      else notOnDisk.push(file.file);
    }
    chosen = present;
    if (chosen.length === 0) {
      missing.push(split);
      continue;
    }
    const olderRelease = chosen.every((f) => f.olderRelease);
    const counted = chosen.every((f) => f.sentences !== undefined);
    splits[split] = {
      split,
      files: chosen,
      olderRelease,
      ...(counted
        ? {
            sentences: chosen.reduce((s, f) => s + f.sentences!, 0),
            words: chosen.reduce((s, f) => s + (f.words ?? 0), 0),
          }
        : {}),
    };
    if (olderRelease) {
      const version = chosen[0]!.udVersion;
      substitutions.push({
        kind: 'older-release',
        treebank: name,
        split,
        message: `${name} ${split}: the current release's file is missing; using ${chosen
          .map((f) => f.file)
          .join(', ')} from older release ${version ?? '(unknown)'}, which follows older guidelines.`,
      });
    }
  }
  const fitSplit = splits.train ? 'train' : splits.dev ? 'dev' : null;
  const testSplit = splits.test ? 'test' : null;
  if (fitSplit === 'dev') {
    substitutions.unshift({
      kind: 'dev-for-fitting',
      treebank: name,
      message: `${name} has no train split here: dev is used for fitting and test for testing.`,
    });
  }

  const unmet = required.filter((r: TreebankRequirement) => (r === 'fit' ? fitSplit === null : !splits[r]));
  if (missing.length === UD_SPLITS.length || unmet.length > 0) {
    const what = missing.map((split) => describeMissing(index, name, split));
    const parts = [
      missing.length === UD_SPLITS.length
        ? `Treebank ${name} has no file in ${index.dir}.`
        : `Treebank ${name} in ${index.dir} lacks ${unmet.map((r) => (r === 'fit' ? 'a split to fit on (train or dev)' : `the ${r} split`)).join(' and ')}.`,
      `Missing: ${what.join(', ')}.`,
    ];
    if (notOnDisk.length > 0) parts.push(`Listed in MANIFEST.tsv but not on disk: ${notOnDisk.join(', ')}.`);
    let fallback: string | undefined;
    const substitute = TREEBANKS.find((t) => t.substituteFor === name);
    if (substitute) {
      fallback = `${substitute.name} (${substitute.description}) stands in for it; resolveLanguage('${substitute.language}') uses it`;
    } else if (unmet.includes('train') && splits.dev) {
      fallback = `${DEV_FOR_FITTING_FALLBACK}; require 'fit' instead of 'train' to accept it`;
    } else if (unmet.length > 0 && !unmet.includes('test') && splits.test) {
      fallback = 'none for fitting: this treebank can only be used for testing (e.g. as a zero-shot target)';
    } else {
      fallback = `${DEV_FOR_FITTING_FALLBACK}; here it does not apply`;
    }
    parts.push(`Fallback: ${fallback}.`);
    throw new UdDataError(parts.join(' '), {
      dir: index.dir,
      treebank: name,
      missing: [...missing, ...notOnDisk],
      fallback,
    });
  }
  return {
    name,
    language,
    group: info?.group,
    dir: index.dir,
    layout: index.layout,
    splits,
    missing,
    fitSplit,
    testSplit,
    substitutions,
  };
}
