import { checkOptions, InvalidArgumentError, XlingError } from '@xling/core';
import {
  resolveTreebank,
  type ResolvedTreebank,
  type ResolveTreebankOptions,
  type Substitution,
} from './resolve-treebank.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { scanUdDir } from './scan-ud-dir.js';
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

/** A study language resolved to files. */
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

/**
 * Resolves a study language (METHOD.md section 1) to the files of its treebank. Where the
 * study's treebank has no file and the registry names a substitute (UD_Arabic-PUD for
 * UD_Arabic-PADT, UD_Hindi-PUD for UD_Hindi-HDTB), the substitute is used and recorded as a
 * `substitute-treebank` substitution; dev-for-fitting and older-release files are recorded as
 * in {@link resolveTreebank}.
 *
 * @example
 * const ar = await resolveLanguage('ar', { require: ['test'] });
 * ar.treebank.name; // 'UD_Arabic-PUD'
 * ar.substitutions.map((s) => s.kind); // ['substitute-treebank']
 * @throws XLING_INVALID_ARGUMENT for a code that is not a study language.
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
  const language = STUDY_LANGUAGES.find((l) => l.code === String(code).toLowerCase());
  if (language === undefined) {
    throw new InvalidArgumentError(
      'code',
      'resolveLanguage',
      `must be a study language code (${STUDY_LANGUAGES.map((l) => l.code).join(' ')}), but got '${code}'.`,
    );
  }
  const index = givenIndex ?? (await scanUdDir(resolveUdDir(scalar.dir)));
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
