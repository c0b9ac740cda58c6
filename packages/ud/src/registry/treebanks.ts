import { STUDY_LANGUAGES } from './study-languages.js';

/**
 * Why a treebank is known to xling:
 * - `main`: the study's treebank of one of the 43 main languages;
 * - `substitute`: a test-only PUD treebank standing in for a main treebank that has no file
 *   in the offline copy (UD_Arabic-PUD for UD_Arabic-PADT, UD_Hindi-PUD for UD_Hindi-HDTB);
 * - `extra`: a second treebank of a main language that adds data its main treebank lacks;
 * - `low-resource`: a very-low-resource treebank, test only, an extra zero-shot target.
 *
 * MANIFEST.tsv files the substitutes under `main`; here they get their own group so that no
 * report can mistake them for the study's treebanks.
 */
export type TreebankGroup = 'main' | 'substitute' | 'extra' | 'low-resource';

/** A UD treebank known to the registry. */
export interface TreebankInfo {
  /** UD repository name, e.g. `UD_English-EWT`. */
  readonly name: string;
  /** Language code as used by the study. */
  readonly language: string;
  /** English name of the language. */
  readonly languageName: string;
  readonly group: TreebankGroup;
  /** For `substitute` treebanks: the main treebank they stand in for. */
  readonly substituteFor?: string;
  /** One-line description for `extra` and `substitute` treebanks. */
  readonly description?: string;
}

const SUBSTITUTES: Array<[name: string, language: string, languageName: string, substituteFor: string]> = [
  ['UD_Arabic-PUD', 'ar', 'Arabic', 'UD_Arabic-PADT'],
  ['UD_Hindi-PUD', 'hi', 'Hindi', 'UD_Hindi-HDTB'],
];

const EXTRAS: Array<[name: string, language: string, languageName: string, description: string]> = [
  ['UD_English-Atis', 'en', 'English', 'spoken flight-information requests (ATIS); short sentences'],
  ['UD_English-GUM', 'en', 'English', 'multi-genre (academic, fiction, interviews, conversation)'],
  ['UD_English-LinES', 'en', 'English', 'mostly fiction; parallel to UD_Swedish-LinES'],
  [
    'UD_English-ParTUT',
    'en',
    'English',
    'legal texts, talks, Wikipedia; parallel to French and Italian ParTUT',
  ],
  ['UD_English-PUD', 'en', 'English', 'test only; parallel to Arabic and Hindi PUD'],
  ['UD_French-ParTUT', 'fr', 'French', 'parallel to English and Italian ParTUT'],
  ['UD_Indonesian-CSUI', 'id', 'Indonesian', 'formal news; no dev split in UD'],
  [
    'UD_Italian-ParTUT',
    'it',
    'Italian',
    'parallel to English and French ParTUT; dev/test overlap UD_Italian-ISDT dev/test',
  ],
  ['UD_Turkish-IMST', 'tr', 'Turkish', 'daily news and novels'],
];

/**
 * Every treebank the registry knows: the study's 43 main treebanks (also UD_Arabic-PADT and
 * UD_Hindi-HDTB, which have no file in the offline copy), the 2 PUD substitutes, the 9 extra
 * treebanks of main languages and the 24 low-resource treebanks.
 *
 * @see `data/ud/README.md`, "Treebanks" and "Substitutes and extra treebanks".
 */
export const TREEBANKS: readonly TreebankInfo[] = Object.freeze([
  ...STUDY_LANGUAGES.map((language) =>
    Object.freeze({
      name: language.treebank,
      language: language.code,
      languageName: language.name,
      group: language.roles.includes('low-resource') ? ('low-resource' as const) : ('main' as const),
    }),
  ),
  ...SUBSTITUTES.map(([name, language, languageName, substituteFor]) =>
    Object.freeze({
      name,
      language,
      languageName,
      group: 'substitute' as const,
      substituteFor,
      description: `test-only PUD treebank standing in for ${substituteFor}`,
    }),
  ),
  ...EXTRAS.map(([name, language, languageName, description]) =>
    Object.freeze({ name, language, languageName, group: 'extra' as const, description }),
  ),
]);
