/**
 * `model_type` values of `config.json` that {@link buildOnnxFromCheckpoint} converts, by family:
 * the BERT family (post-LayerNorm encoders with absolute position embeddings), the LLaMA family
 * (pre-RMSNorm decoders with rotary embeddings, grouped-query attention and a SwiGLU MLP) and
 * GPT-2 (pre-LayerNorm decoders with learned absolute positions and a GELU MLP).
 */
export const SUPPORTED_CHECKPOINT_MODEL_TYPES = {
  bert: ['bert', 'roberta', 'xlm-roberta'],
  llama: ['llama', 'mistral', 'qwen2', 'qwen3'],
  gpt2: ['gpt2'],
} as const satisfies Record<string, readonly string[]>;

/** A family of {@link SUPPORTED_CHECKPOINT_MODEL_TYPES}: `'bert'`, `'llama'` or `'gpt2'`. */
export type CheckpointFamily = keyof typeof SUPPORTED_CHECKPOINT_MODEL_TYPES;
