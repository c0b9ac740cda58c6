import { bertFamily } from './bert.js';
import { gpt2Family } from './gpt2.js';
import { llamaFamily } from './llama.js';
import type { ModelFamily } from './model-family.js';
import { qwenFamily } from './qwen.js';
import { xlmRobertaFamily } from './xlm-roberta.js';

/** Families by `model_type` (config.json). Adding a family = one file + one line here. */
export const familyRegistry: ReadonlyMap<string, ModelFamily> = new Map(
  [bertFamily, xlmRobertaFamily, llamaFamily, qwenFamily, gpt2Family].flatMap((family) =>
    family.modelTypes.map((type) => [type, family] as const),
  ),
);

/** The family of `modelType`, or undefined when xling does not know it. */
export function familyOf(modelType: string): ModelFamily | undefined {
  return familyRegistry.get(modelType);
}
