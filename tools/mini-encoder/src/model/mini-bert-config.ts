/** Shape of the encoder; field names follow Hugging Face `BertConfig` in camelCase. */
export interface MiniBertConfig {
  vocabSize: number;
  hiddenSize: number;
  numHiddenLayers: number;
  numAttentionHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  layerNormEps: number;
  padTokenId: number;
}

/** The Hugging Face `config.json` object of a {@link MiniBertConfig} (a `BertForMaskedLM`). */
export function toHfConfig(config: MiniBertConfig): Record<string, unknown> {
  return {
    architectures: ['BertForMaskedLM'],
    model_type: 'bert',
    vocab_size: config.vocabSize,
    hidden_size: config.hiddenSize,
    num_hidden_layers: config.numHiddenLayers,
    num_attention_heads: config.numAttentionHeads,
    intermediate_size: config.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: 0,
    attention_probs_dropout_prob: 0,
    max_position_embeddings: config.maxPositionEmbeddings,
    type_vocab_size: config.typeVocabSize,
    initializer_range: 0.02,
    layer_norm_eps: config.layerNormEps,
    pad_token_id: config.padTokenId,
    position_embedding_type: 'absolute',
    use_cache: true,
    classifier_dropout: null,
    torch_dtype: 'float32',
  };
}

/** Reads a {@link MiniBertConfig} back from a Hugging Face `config.json` object. */
export function fromHfConfig(json: Record<string, unknown>): MiniBertConfig {
  const n = (key: string): number => Number(json[key]);
  return {
    vocabSize: n('vocab_size'),
    hiddenSize: n('hidden_size'),
    numHiddenLayers: n('num_hidden_layers'),
    numAttentionHeads: n('num_attention_heads'),
    intermediateSize: n('intermediate_size'),
    maxPositionEmbeddings: n('max_position_embeddings'),
    typeVocabSize: n('type_vocab_size'),
    layerNormEps: n('layer_norm_eps'),
    padTokenId: n('pad_token_id'),
  };
}
