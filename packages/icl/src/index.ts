// Structured prompting
export { structuredPrompting, type StructuredPromptingReport } from './structured-prompting.js';
export type { DemonstrationPool, StructuredPromptingOptions } from './structured-prompting-options.js';
export type { IclRun, IclSentenceResult } from './run-prompting.js';

// Sentences and prompts
export { taggedSentences, type IclTask, type TaggedSentence } from './tagged-sentence.js';
export { formatPrompt } from './prompt/prompt-segments.js';

// Labels and scoring
export { labelForms, LABEL_FORMS, type LabelForm } from './labels/label-forms.js';
export { CLASS_NAMES } from './labels/class-names.js';
export { buildLabelTrie, type LabelTrie, type LabelTrieNode } from './labels/label-trie.js';
export { SCORINGS, type Scoring } from './decode/score-labels.js';

// Demonstrations
export {
  sampleDemonstrations,
  type SampleDemonstrationsOptions,
} from './sample/sample-demonstrations.js';
export { fitDemonstrations } from './decode/fit-demonstrations.js';

// Accuracy and baselines
export { summarizeAccuracy, type AccuracySummary } from './score/summarize-accuracy.js';
export { majorityBaselines, type MajorityBaselines } from './score/majority-baselines.js';
