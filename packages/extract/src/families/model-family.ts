/**
 * How one model family (a set of Hugging Face `model_type`s) is run: which special tokens frame
 * a sentence, where the residual stream is read, and the default sub-word pooling.
 */
export interface ModelFamily {
  /** Family name, e.g. `bert`. */
  readonly name: string;
  /** `model_type` values of config.json that select this family. */
  readonly modelTypes: readonly string[];
  /** Encoder-only (bidirectional) or decoder-only (causal). */
  readonly kind: 'encoder' | 'decoder';
  /**
   * Token put before the words: `cls` ([CLS] / <s> from tokenizer_config's `cls_token`, else
   * `bos_token`), `bos` (`bos_token`, when the tokenizer has one) or `none`.
   */
  readonly start: 'cls' | 'bos' | 'none';
  /** Token put after the words: `sep` (`sep_token`, else `eos_token`) or `none`. */
  readonly end: 'sep' | 'none';
  /**
   * Where each block's residual stream is read when the graph must be edited: `post-norm`
   * (BERT: output of the embedding norm and of each block's last norm) or `pre-norm` (LLaMA, GPT-2:
   * input of each block's first norm; the last layer is the final norm's output, as Hugging
   * Face's `hidden_states[-1]`).
   */
  readonly normPlacement: 'post-norm' | 'pre-norm';
  /** Default pooling: first sub-word for encoders, last for decoders. */
  readonly defaultPooling: 'first' | 'last';
  /** Positions taken by special offsets in `max_position_embeddings` (RoBERTa: 2). */
  readonly positionOffset: number;
}
