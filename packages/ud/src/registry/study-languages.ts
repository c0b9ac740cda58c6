/** What a language is used for in the study (METHOD.md section 1). */
export type LanguageRole = 'meta-train' | 'target' | 'validation' | 'low-resource';

/** One language of the study with the UD treebank the reference used for it. */
export interface StudyLanguage {
  /** Language code as used by the study (ISO 639-1 for the 43 main languages). */
  readonly code: string;
  /** English name of the language. */
  readonly name: string;
  /** UD repository name of the study's treebank, e.g. `UD_English-EWT`. */
  readonly treebank: string;
  /**
   * Roles. `validation` here is the reference's list as published, which includes two zero-shot
   * targets (tr, zh): use {@link languagesByRole}, which leaves them out by default.
   */
  readonly roles: readonly LanguageRole[];
  /** Treebank staged instead of {@link StudyLanguage.treebank} when that one has no file (PUD). */
  readonly substitute?: string;
}

type Row = [code: string, name: string, treebank: string, roles: string, substitute?: string];

// m = meta-train, t = zero-shot target, v = validation (reference list), l = low-resource test-only.
const ROWS: Row[] = [
  ['af', 'Afrikaans', 'UD_Afrikaans-AfriBooms', 't'],
  ['ar', 'Arabic', 'UD_Arabic-PADT', 'mv', 'UD_Arabic-PUD'],
  ['bg', 'Bulgarian', 'UD_Bulgarian-BTB', 'mv'],
  ['ca', 'Catalan', 'UD_Catalan-AnCora', 'mv'],
  ['cy', 'Welsh', 'UD_Welsh-CCG', 't'],
  ['de', 'German', 'UD_German-GSD', 'mv'],
  ['el', 'Greek', 'UD_Greek-GDT', 't'],
  ['en', 'English', 'UD_English-EWT', 'mv'],
  ['es', 'Spanish', 'UD_Spanish-GSD', 'mv'],
  ['et', 'Estonian', 'UD_Estonian-EDT', 'mv'],
  ['eu', 'Basque', 'UD_Basque-BDT', 't'],
  ['fa', 'Persian', 'UD_Persian-PerDT', 'mv'],
  ['fi', 'Finnish', 'UD_Finnish-TDT', 'mv'],
  ['fr', 'French', 'UD_French-GSD', 'mv'],
  ['ga', 'Irish', 'UD_Irish-IDT', 't'],
  ['he', 'Hebrew', 'UD_Hebrew-HTB', 'mv'],
  ['hi', 'Hindi', 'UD_Hindi-HDTB', 'mv', 'UD_Hindi-PUD'],
  ['hu', 'Hungarian', 'UD_Hungarian-Szeged', 't'],
  ['hy', 'Armenian', 'UD_Armenian-ArmTDP', 't'],
  ['id', 'Indonesian', 'UD_Indonesian-GSD', 'm'],
  ['is', 'Icelandic', 'UD_Icelandic-Modern', 'm'],
  ['it', 'Italian', 'UD_Italian-ISDT', 'm'],
  ['ja', 'Japanese', 'UD_Japanese-GSD', 'mv'],
  ['ko', 'Korean', 'UD_Korean-Kaist', 't'],
  ['lt', 'Lithuanian', 'UD_Lithuanian-ALKSNIS', 't'],
  ['lv', 'Latvian', 'UD_Latvian-LVTB', 'mv'],
  ['mr', 'Marathi', 'UD_Marathi-UFAL', 't'],
  ['nl', 'Dutch', 'UD_Dutch-Alpino', 'mv'],
  ['no', 'Norwegian', 'UD_Norwegian-Nynorsk', 'mv'],
  ['pl', 'Polish', 'UD_Polish-PDB', 'm'],
  ['pt', 'Portuguese', 'UD_Portuguese-GSD', 'mv'],
  ['ro', 'Romanian', 'UD_Romanian-RRT', 'mv'],
  ['ru', 'Russian', 'UD_Russian-GSD', 'mv'],
  ['sk', 'Slovak', 'UD_Slovak-SNK', 'mv'],
  ['sr', 'Serbian', 'UD_Serbian-SET', 't'],
  ['sv', 'Swedish', 'UD_Swedish-Talbanken', 'm'],
  ['ta', 'Tamil', 'UD_Tamil-TTB', 't'],
  ['te', 'Telugu', 'UD_Telugu-MTG', 't'],
  ['tr', 'Turkish', 'UD_Turkish-BOUN', 'tv'],
  ['uk', 'Ukrainian', 'UD_Ukrainian-IU', 'm'],
  ['ur', 'Urdu', 'UD_Urdu-UDTB', 't'],
  ['vi', 'Vietnamese', 'UD_Vietnamese-VTB', 't'],
  ['zh', 'Chinese', 'UD_Chinese-GSDSimp', 'tv'],
  // Very-low-resource treebanks: extra zero-shot targets, test only (codes are UD file-name codes).
  ['akk', 'Akkadian', 'UD_Akkadian-PISANDUB', 'l'],
  ['am', 'Amharic', 'UD_Amharic-ATT', 'l'],
  ['be', 'Belarusian', 'UD_Belarusian-HSE', 'l'],
  ['bho', 'Bhojpuri', 'UD_Bhojpuri-BHTB', 'l'],
  ['bm', 'Bambara', 'UD_Bambara-CRB', 'l'],
  ['br', 'Breton', 'UD_Breton-KEB', 'l'],
  ['bxr', 'Buryat', 'UD_Buryat-BDT', 'l'],
  ['fo', 'Faroese', 'UD_Faroese-OFT', 'l'],
  ['gsw', 'Swiss German', 'UD_Swiss_German-UZH', 'l'],
  ['gun', 'Mbya Guarani', 'UD_Mbya_Guarani-Thomas', 'l'],
  ['hsb', 'Upper Sorbian', 'UD_Upper_Sorbian-UFAL', 'l'],
  ['kk', 'Kazakh', 'UD_Kazakh-KTB', 'l'],
  ['kmr', 'Kurmanji', 'UD_Kurmanji-MG', 'l'],
  ['kpv', 'Komi Zyrian', 'UD_Komi_Zyrian-Lattice', 'l'],
  ['krl', 'Karelian', 'UD_Karelian-KKPP', 'l'],
  ['mdf', 'Moksha', 'UD_Moksha-JR', 'l'],
  ['myv', 'Erzya', 'UD_Erzya-JR', 'l'],
  ['olo', 'Livvi', 'UD_Livvi-KKPP', 'l'],
  ['pcm', 'Naija', 'UD_Naija-NSC', 'l'],
  ['sa', 'Sanskrit', 'UD_Sanskrit-UFAL', 'l'],
  ['tl', 'Tagalog', 'UD_Tagalog-TRG', 'l'],
  ['wbp', 'Warlpiri', 'UD_Warlpiri-UFAL', 'l'],
  ['yo', 'Yoruba', 'UD_Yoruba-YTB', 'l'],
  ['yue', 'Cantonese', 'UD_Cantonese-HK', 'l'],
];

const ROLE_LETTERS: Record<string, LanguageRole> = {
  m: 'meta-train',
  t: 'target',
  v: 'validation',
  l: 'low-resource',
};

/**
 * The study's languages: the 43 main languages of the reference (26 meta-training languages,
 * 17 zero-shot targets; 22 of them in the reference's validation list) followed by the 24
 * very-low-resource treebanks used as extra, test-only zero-shot targets.
 *
 * @see METHOD.md section 1 and `data/ud/README.md` ("Treebanks").
 */
export const STUDY_LANGUAGES: readonly StudyLanguage[] = Object.freeze(
  ROWS.map(([code, name, treebank, roles, substitute]) =>
    Object.freeze({
      code,
      name,
      treebank,
      roles: Object.freeze([...roles].map((letter) => ROLE_LETTERS[letter]!)),
      ...(substitute === undefined ? {} : { substitute }),
    }),
  ),
);
