/** Weight types of the ONNX files in a model folder, named as transformers.js names them. */
export type ModelDtype = 'fp32' | 'fp16' | 'q8';

/** Allowed {@link ModelDtype} values. */
export const MODEL_DTYPES: readonly ModelDtype[] = ['fp32', 'fp16', 'q8'];

const SUFFIXES: Record<ModelDtype, string> = { fp32: '', fp16: '_fp16', q8: '_quantized' };

/**
 * File-name suffix of `dtype` in the Hugging Face ONNX layout (`onnx/model{suffix}.onnx`):
 * `fp32 → ''`, `fp16 → '_fp16'`, `q8 → '_quantized'`.
 * @see https://huggingface.co/docs/transformers.js/guides/dtypes
 */
export function dtypeSuffix(dtype: ModelDtype): string {
  return SUFFIXES[dtype];
}
