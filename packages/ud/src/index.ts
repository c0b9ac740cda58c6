// CoNLL-U reading and writing
export type { EmptyNode, MultiwordToken, Sentence, Word } from './conllu/types.js';
export { parseConllu } from './conllu/parse-conllu.js';
export { readConllu } from './conllu/read-conllu.js';
export type { ConlluReadOptions, ReadConlluOptions, SkippedSentence } from './conllu/conllu-read-options.js';
export { stringifyConllu } from './conllu/stringify-conllu.js';
export { writeConllu } from './conllu/write-conllu.js';

// Validation
export type { Diagnostic, DiagnosticSeverity } from './validate/diagnostic.js';
export { validateConllu, type ValidateConlluOptions } from './validate/validate-conllu.js';
export { validateConlluFile } from './validate/validate-conllu-file.js';
export { formatDiagnostic } from './validate/format-diagnostic.js';
export { conlluRules, type ConlluRule } from './validate/conllu-rules.js';

// Pre-processing (METHOD.md section 1)
export { preprocessSentences } from './preprocess/preprocess-sentences.js';
export {
  createPreprocessor,
  type PreprocessOptions,
  type Preprocessor,
} from './preprocess/create-preprocessor.js';
export type { PreprocessReport } from './preprocess/preprocess-report.js';
export { dropEmptyNodes } from './preprocess/drop-empty-nodes.js';
export { mergeMultiwordTokens } from './preprocess/merge-multiword-tokens.js';
export { stripDeprelSubtypes } from './preprocess/strip-deprel-subtypes.js';
export { isValidTree, type IsValidTreeOptions } from './preprocess/is-valid-tree.js';

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

// Download (downloadFile, DownloadError and ChecksumMismatchError live in @xling/core)
export {
  extractTarGz,
  type ExtractTarGzOptions,
  type ExtractTarGzResult,
} from './download/extract-tar-gz.js';
export {
  MAX_COMPRESSION_RATIO,
  MAX_EXTRACTED_BYTES,
  MAX_TAR_ENTRIES,
  MAX_TAR_HEADER_BYTES,
} from './download/tar-entries.js';
export { MAX_LINE_BYTES } from '@xling/core';
export {
  downloadUdRelease,
  type DownloadUdReleaseOptions,
  type DownloadUdReleaseResult,
} from './download/download-ud-release.js';
export {
  downloadTreebank,
  type DownloadTreebankOptions,
  type DownloadTreebankResult,
  type TreebankFileSource,
} from './download/download-treebank.js';

// Statistics
export {
  type ConlluCounts,
  conlluFileStats,
  type ConlluFileStatsOptions,
} from './stats/conllu-file-stats.js';
export {
  type SplitStats,
  type TreebankStats,
  treebankStats,
  type TreebankStatsOptions,
} from './stats/treebank-stats.js';
export { type UdStats, udStats, type UdStatsOptions } from './stats/ud-stats.js';
