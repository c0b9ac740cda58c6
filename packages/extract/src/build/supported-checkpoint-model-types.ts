/**
 * `model_type` values of `config.json` that {@link buildOnnxFromCheckpoint} converts, by family:
 * the BERT family (post-LayerNorm encoders with absolute position embeddings) and the LLaMA family
 * (pre-RMSNorm decoders with rotary embeddings, grouped-query attention and a SwiGLU MLP).
 */
export const SUPPORTED_CHECKPOINT_MODEL_TYPES = {
  bert: ['bert', 'roberta', 'xlm-roberta'],
  llama: ['llama', 'mistral', 'qwen2', 'qwen3'],
} as const satisfies Record<string, readonly string[]>;
