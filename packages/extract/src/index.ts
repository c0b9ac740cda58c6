// Model folders (Hugging Face layout)
export {
  readModelFolder,
  type ModelFolder,
  type ReadModelFolderOptions,
} from './model-folder/read-model-folder.js';
export { dtypeSuffix, MODEL_DTYPES, type ModelDtype } from './model-folder/dtype-suffix.js';
export { modelFingerprint } from './model-folder/model-fingerprint.js';
export { MODEL_FILE_LIMITS, type ModelFileLimits } from './model-folder/model-file.js';
export { CONFIG_LIMITS } from './model-folder/config-limits.js';

// Model families
export { familyRegistry, familyOf, registerModelFamily } from './families/family-registry.js';
export type { ModelFamily } from './families/model-family.js';

// ONNX graphs and layers
export { listLayerOutputs } from './onnx/list-layer-outputs.js';
export type { LayerOutputs, LayerTensor, NormNode } from './onnx/find-layer-tensors.js';
export { HiddenStateModel, type HiddenStateModelOptions } from './hidden-state-model.js';

// Devices and onnxruntime execution providers
export {
  DEVICES,
  type Device,
  checkExecutionProviders,
  executionProvidersFor,
} from './onnx/execution-providers.js';
export { cudaInstallCommand, ortBackends, type OrtBackend, type OrtBackends } from './onnx/ort-backends.js';

// Generation with a key/value cache
export {
  GenerationModel,
  type GenerationModelOptions,
  type GenerationForwardOutput,
} from './generation/generation-model.js';
export type { GenerationForwardInput } from './generation/forward-input.js';
export type { GenerationCache } from './generation/generation-cache.js';
export type { IntegerArray } from './generation/integer-input.js';

// Tokenisation and pooling
export { WordTokenizer } from './tokenize/word-tokenizer.js';
export type { EmptyWord, Overflow } from './tokenize/build-sequences.js';
export { poolWords, POOLINGS, type Pooling } from './pooling/pool-words.js';
export { headDependentDifferences } from './pooling/head-dependent-differences.js';

// Extraction
export { embedSentences, type EmbedSentencesOptions, type EmbeddedSentence } from './embed-sentences.js';
export {
  extractHiddenStates,
  type ExtractHiddenStatesOptions,
  type ExtractReport,
  type ExtractSentence,
  type ExtractWord,
} from './extract-hidden-states.js';

// Download
export { downloadModel, type DownloadModelOptions, type DownloadedModel } from './download-model.js';

// Building ONNX from a checkpoint
export {
  buildOnnxFromCheckpoint,
  type BuildOnnxFromCheckpointOptions,
  type BuildOnnxFromCheckpointResult,
} from './build/build-onnx-from-checkpoint.js';
export { SUPPORTED_CHECKPOINT_MODEL_TYPES } from './build/supported-checkpoint-model-types.js';
