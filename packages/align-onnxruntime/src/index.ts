export {
  onnxruntimeEngine,
  type OnnxruntimeEngine,
  type OnnxruntimeEngineOptions,
} from './onnxruntime-engine.js';
