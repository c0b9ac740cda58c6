// Instances: labelled POS / deprel vectors grouped by sentence
export {
  buildInstances,
  type BuildInstancesInput,
  type BuildInstancesOptions,
  type InstanceWord,
} from './instances/build-instances.js';
export type { ConceptTask, FitSplit, InstanceSet } from './instances/instance-set.js';
export { buildInstancesFromTensors, type InstanceTensors } from './instances/build-instances-from-tensors.js';
export { wordFormId } from './baselines/word-form-id.js';
export { countLabels } from './instances/count-labels.js';
export { validLabels, type ValidLabelsOptions } from './instances/valid-labels.js';
export { selectSentences } from './instances/select-sentences.js';

// Concepts: per-language probes and prototypes
export {
  LinearProbe,
  type LinearProbeEpoch,
  type LinearProbeJson,
  type LinearProbeOptions,
} from './probe/linear-probe.js';
export { classMeans, type ClassMeans } from './prototypes/class-means.js';
export type { PrototypeSet } from './prototypes/prototype-set.js';

// Episodes for any token-classification task
export {
  sampleEpisodes,
  type Episode,
  type EpisodeSource,
  type SampleEpisodesOptions,
} from './episodes/sample-episodes.js';

// Meta-learners
export { MetaProtoNet, type MetaProtoNetOptions } from './learners/meta-proto-net.js';
export {
  LanguageAdapterProtoNet,
  type AdaptOptions,
  type FewShotAdapter,
  type LanguageAdapterProtoNetOptions,
} from './learners/language-adapter-proto-net.js';
export type { MetaFitControl, MetaFitData, MetaLearnerOptions } from './internal/meta-learner-base.js';
export type { MetaEpoch } from './internal/meta-trainer.js';
export type { PhiParams } from './internal/phi.js';
export { initBackend } from './tf/init-backend.js';

// Baselines
export { MajorityClass, type MajorityClassJson } from './baselines/majority-class.js';
export { unalignedAccuracy } from './baselines/unaligned-source-prototypes.js';
export {
  SourceClassifier,
  type SourceClassifierJson,
  type SourceClassifierOptions,
} from './baselines/source-classifier.js';
export { inLanguageCeiling, type InLanguageCeiling } from './baselines/in-language-ceiling.js';
export { NearestClassMean, type NearestClassMeanJson } from './baselines/nearest-class-mean.js';
export { WordLookupTagger, type WordLookupTaggerJson } from './baselines/word-lookup-tagger.js';
export { createControlTask, type ControlTask, type ControlTaskOptions } from './baselines/control-task.js';

// Synthetic languages with a known answer
export {
  createSyntheticLanguages,
  type SyntheticLanguage,
  type SyntheticLanguagesOptions,
} from './synthetic/create-synthetic-languages.js';
