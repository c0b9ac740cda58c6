// Treebank registry
export { STUDY_LANGUAGES, type LanguageRole, type StudyLanguage } from './registry/study-languages.js';
export { TREEBANKS, type TreebankGroup, type TreebankInfo } from './registry/treebanks.js';
export { languagesByRole, type LanguagesByRoleOptions } from './registry/languages-by-role.js';
export { UdDataError, type UdDataErrorInfo } from './registry/ud-data-error.js';
export { resolveUdDir, type ResolveUdDirOptions } from './registry/resolve-ud-dir.js';
export { readManifest, UD_SPLITS, type ManifestEntry, type UdSplit } from './registry/read-manifest.js';
export { scanUdDir, type MissingSplit, type UdDirIndex, type UdFile } from './registry/scan-ud-dir.js';
export {
  resolveTreebank,
  type ResolvedSplit,
  type ResolvedTreebank,
  type ResolveTreebankOptions,
  type Substitution,
  type TreebankRequirement,
} from './registry/resolve-treebank.js';
export {
  resolveLanguage,
  type ResolvedLanguage,
  type ResolveLanguageOptions,
} from './registry/resolve-language.js';
export {
  resolveLanguages,
  type ResolvedLanguages,
  type ResolveLanguagesOptions,
} from './registry/resolve-languages.js';
