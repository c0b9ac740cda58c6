import { checkOptions, InvalidArgumentError, XlingError } from '@xling/core';
import {
  resolveTreebank,
  type ResolvedTreebank,
  type ResolveTreebankOptions,
  type Substitution,
} from './resolve-treebank.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { type UdDirIndex, scanUdDir } from './scan-ud-dir.js';
import { type LanguageRole, STUDY_LANGUAGES } from './study-languages.js';
import { TREEBANKS } from './treebanks.js';
import { UdDataError } from './ud-data-error.js';

/** Options of {@link resolveLanguage}. */
export interface ResolveLanguageOptions extends ResolveTreebankOptions {
  /**
   * Also resolve the language's `extra` treebanks (e.g. UD_English-Atis for en); the ones that
   * have no file are left out silently.
   * @defaultValue false
   */
  includeExtra?: boolean;
}

/** A language resolved to files (`roles` is empty for a language outside the study). */
export interface ResolvedLanguage {
  code: string;
  name: string;
  roles: readonly LanguageRole[];
  /** The study's treebank, or its substitute where the study's has no file. */
  treebank: ResolvedTreebank;
  /** Extra treebanks of the language (only with `includeExtra`). */
  extras: ResolvedTreebank[];
  /** Every substitution of `treebank` (and of `extras`), for reports. */
  substitutions: Substitution[];
}

/** A language's name from its treebank folder: `UD_Old_East_Slavic-TOROT` -> `Old East Slavic`. */
const languageName = (treebank: string) => treebank.replace(/^UD_/, '').split('-')[0]!.replaceAll('_', ' ');

/**
 * A language outside the study, resolved from the UD directory itself: of its treebanks (files
 * named `<code>_<name>-ud-<split>.conllu`), the one that can serve most roles (a fitting split and
 * a test split), then the one with the most words (MANIFEST.tsv) or files, then by name.
 */
async function resolveOtherLanguage(
  code: string,
  index: UdDirIndex,
  require: ResolveLanguageOptions['require'],
  scalar: { dir?: string; allowOlderRelease?: boolean },
): Promise<ResolvedLanguage> {
  const codeOf = (file: string) => file.split('/').at(-1)!.split('_')[0]!.toLowerCase();
  const candidates = index.treebanks.filter((t) =>
    index.files.some((f) => f.treebank === t && codeOf(f.file) === code),
  );
  if (candidates.length === 0) {
    throw new UdDataError(
      `Language '${code}' is not a study language and no treebank in ${index.dir} has files named ${code}_*-ud-*.conllu.`,
      { dir: index.dir, treebank: code, missing: [`${code}_*-ud-*.conllu`] },
    );
  }
  const score = (t: string) => {
    const files = index.files.filter((f) => f.treebank === t);
    const has = (s: string) => files.some((f) => f.split === s);
    return [
      Number((has('train') || has('dev')) && has('test')),
      files.reduce((a, f) => a + (f.words ?? 0), 0),
      files.length,
    ];
  };
  const ranked = candidates
    .map((t) => ({ t, s: score(t) }))
    .sort((a, b) => b.s[0]! - a.s[0]! || b.s[1]! - a.s[1]! || b.s[2]! - a.s[2]! || (a.t < b.t ? -1 : 1));
  const treebank = await resolveTreebank(ranked[0]!.t, { ...scalar, index, ...(require ? { require } : {}) });
  const name = languageName(treebank.name);
  return { code, name, roles: [], treebank, extras: [], substitutions: [...treebank.substitutions] };
}

/**
 * Resolves a language to the files of its treebank: a study language (METHOD.md section 1) to
 * the study's treebank, any other language to its largest treebank in the UD directory. Where the
 * study's treebank has no file and the registry names a substitute (UD_Arabic-PUD for
 * UD_Arabic-PADT, UD_Hindi-PUD for UD_Hindi-HDTB), the substitute is used and recorded as a
 * `substitute-treebank` substitution; dev-for-fitting and older-release files are recorded as
 * in {@link resolveTreebank}.
 *
 * @example
 * const ar = await resolveLanguage('ar', { require: ['test'] });
 * ar.treebank.name; // 'UD_Arabic-PUD'
 * ar.substitutions.map((s) => s.kind); // ['substitute-treebank']
 * @throws XLING_INVALID_ARGUMENT for something that is not a language code; XLING_UD_DATA_MISSING
 * for a language with no treebank in the UD directory.
 * @throws XLING_UD_DATA_MISSING when the files needed are missing (message lists them and the fallback).
 */
export async function resolveLanguage(
  code: string,
  options: ResolveLanguageOptions = {},
): Promise<ResolvedLanguage> {
  const { includeExtra = false, require, index: givenIndex, ...scalar } = options;
  checkOptions(
    { includeExtra, ...scalar },
    {
      includeExtra: { type: 'boolean' },
      dir: { type: 'string' },
      allowOlderRelease: { type: 'boolean' },
    },
    'resolveLanguage',
  );
  if (typeof code !== 'string' || !/^[a-z]{2,8}$/i.test(code)) {
    throw new InvalidArgumentError(
      'code',
      'resolveLanguage',
      `must be a language code such as 'en' or 'gsw', but got ${JSON.stringify(code)}.`,
    );
  }
  const index = givenIndex ?? (await scanUdDir(resolveUdDir(scalar.dir)));
  const language = STUDY_LANGUAGES.find((l) => l.code === code.toLowerCase());
  if (language === undefined) return resolveOtherLanguage(code.toLowerCase(), index, require, scalar);
  const treebankOptions: ResolveTreebankOptions = { ...scalar, index, ...(require ? { require } : {}) };
  let treebank: ResolvedTreebank;
  const substitutions: Substitution[] = [];
  const hasFiles = index.files.some((f) => f.treebank === language.treebank);
  if (!hasFiles && language.substitute !== undefined) {
    try {
      treebank = await resolveTreebank(language.substitute, treebankOptions);
    } catch (error) {
      if (!(XlingError.isInstance(error) && error instanceof UdDataError)) throw error;
      throw new UdDataError(
        `Language ${code} (${language.name}): the study's treebank ${language.treebank} has no file in ${index.dir}, and its substitute ${language.substitute} cannot be used: ${error.message}`,
        { dir: index.dir, treebank: language.treebank, missing: [language.treebank, ...error.missing] },
        { cause: error },
      );
    }
    const info = TREEBANKS.find((t) => t.name === language.substitute);
    substitutions.push({
      kind: 'substitute-treebank',
      treebank: language.substitute,
      replaces: language.treebank,
      message: `${language.treebank} has no file here: ${language.substitute} (${info?.description ?? 'substitute'}) is used instead.`,
    });
  } else {
    treebank = await resolveTreebank(language.treebank, treebankOptions);
  }
  substitutions.push(...treebank.substitutions);
  const extras: ResolvedTreebank[] = [];
  if (includeExtra) {
    for (const extra of TREEBANKS.filter((t) => t.group === 'extra' && t.language === language.code)) {
      if (!index.files.some((f) => f.treebank === extra.name)) continue;
      const resolved = await resolveTreebank(extra.name, { ...scalar, index });
      extras.push(resolved);
      substitutions.push(...resolved.substitutions);
    }
  }
  return { code: language.code, name: language.name, roles: language.roles, treebank, extras, substitutions };
}
