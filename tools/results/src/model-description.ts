import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelFolderError } from '@xling/core';

/** What results.md says about the model: its config.json, and what its model card states. */
export interface ModelDescription {
  /** The folder as the page names it, e.g. `models/xling-mini-encoder`. */
  folder: string;
  /** `model_type` of config.json, e.g. `bert`. */
  modelType: string;
  layers: number;
  hiddenSize: number;
  /** From the model card (README.md), where it states them. */
  parameters?: number;
  /** Training wall time in minutes and where it ran, e.g. `wasm (1 thread)`. */
  training?: { minutes: number; on: string };
  /** Held-out masked-LM accuracy over all languages (a fraction). */
  heldOutAccuracy?: number;
  /** The card says no test sentence was seen in training. */
  noTestSeen: boolean;
}

/** The lines tools/mini-encoder's render-model-card.ts writes, read back. */
const CARD = {
  parameters: /([\d,]+) parameters\b/,
  training: /Wall time: ([\d.]+) min on (.+?)\.\s*$/m,
  heldOutAccuracy: /^\| \*\*all\*\* \|.*\| ([\d.]+)% \|\s*$/m,
  noTestSeen: /no test sentence was seen/,
};

/**
 * Reads `<folder>/config.json` and, when present, the model card `<folder>/README.md`.
 *
 * @param folder - the model folder
 * @param shown - how the page names it
 * @throws XLING_MODEL_FOLDER when config.json is missing or lacks num_hidden_layers/hidden_size.
 */
export async function readModelDescription(folder: string, shown: string): Promise<ModelDescription> {
  const configFile = join(folder, 'config.json');
  if (!existsSync(configFile)) throw new ModelFolderError(folder, 'has no config.json.', ['config.json']);
  const config = JSON.parse(await readFile(configFile, 'utf8')) as Record<string, unknown>;
  const { num_hidden_layers: layers, hidden_size: hiddenSize, model_type: modelType } = config;
  if (typeof layers !== 'number' || typeof hiddenSize !== 'number')
    throw new ModelFolderError(folder, 'config.json lacks num_hidden_layers or hidden_size.');
  const cardFile = join(folder, 'README.md');
  const card = existsSync(cardFile) ? await readFile(cardFile, 'utf8') : '';
  const parameters = CARD.parameters.exec(card)?.[1];
  const training = CARD.training.exec(card);
  const accuracy = CARD.heldOutAccuracy.exec(card)?.[1];
  return {
    folder: shown,
    modelType: typeof modelType === 'string' ? modelType : 'transformer',
    layers,
    hiddenSize,
    ...(parameters ? { parameters: Number(parameters.replace(/,/g, '')) } : {}),
    ...(training ? { training: { minutes: Number(training[1]), on: training[2] } } : {}),
    ...(accuracy ? { heldOutAccuracy: Number(accuracy) / 100 } : {}),
    noTestSeen: CARD.noTestSeen.test(card),
  };
}
