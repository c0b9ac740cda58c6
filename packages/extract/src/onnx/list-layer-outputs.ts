import { type ReadModelFolderOptions, readModelFolder } from '../model-folder/read-model-folder.js';
import { type LayerOutputs, findLayerTensors } from './find-layer-tensors.js';
import { readOnnxModel } from './read-onnx-model.js';

/**
 * Lists the candidate layer outputs of a model folder's ONNX graph (what `xling model layers
 * <dir>` prints): the graph's outputs, its normalisation nodes in topological order (fused
 * `LayerNormalization`/`SimplifiedLayerNormalization` and the decomposed forms torch exports),
 * and the tensor xling reads for each layer 0..numLayers — from `hidden_states.<i>` outputs when
 * the export has them, else post-norm families (BERT, XLM-R) read the output of the embedding
 * norm and of each block's last norm, pre-norm families (LLaMA, Qwen, GPT-2) the input of each
 * block's first norm (the residual stream) and, for the last layer, the final norm's output.
 * When `layers` is null, `problem` says why; name the tensors with `layerTensors` then.
 *
 * @throws XLING_MODEL_FOLDER for missing or corrupt files.
 */
export async function listLayerOutputs(
  dir: string,
  options: ReadModelFolderOptions = {},
): Promise<LayerOutputs> {
  const folder = await readModelFolder(dir, options);
  return findLayerTensors(await readOnnxModel(folder.onnxFile), folder.family, folder.numLayers);
}
