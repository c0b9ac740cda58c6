import { InvalidArgumentError } from '@xling/core';
import { bertFamily } from './bert.js';
import { gpt2Family } from './gpt2.js';
import { llamaFamily } from './llama.js';
import type { ModelFamily } from './model-family.js';
import { qwenFamily } from './qwen.js';
import { xlmRobertaFamily } from './xlm-roberta.js';

const byType = new Map<string, ModelFamily>();

/** Families by `model_type` (config.json). Adding a family = one file + one line in the list below. */
export const familyRegistry: ReadonlyMap<string, ModelFamily> = byType;

/** The family of `modelType`, or undefined when xling does not know it. */
export function familyOf(modelType: string): ModelFamily | undefined {
  return byType.get(modelType);
}

const CHOICES = {
  kind: ['encoder', 'decoder'],
  start: ['cls', 'bos', 'none'],
  end: ['sep', 'none'],
  normPlacement: ['post-norm', 'pre-norm'],
  defaultPooling: ['first', 'last'],
} as const;

/**
 * Makes xling read model folders whose config.json has one of `family.modelTypes`, without an
 * edit inside xling (docs/contributing.md, "Add a model family").
 * @throws XLING_INVALID_ARGUMENT for a malformed family or a `model_type` another family has.
 */
export function registerModelFamily(family: ModelFamily): void {
  const bad = (problem: string) => new InvalidArgumentError('family', 'registerModelFamily', problem);
  if (typeof family?.name !== 'string' || family.name === '') throw bad('must have a name.');
  if (!Array.isArray(family.modelTypes) || family.modelTypes.length === 0)
    throw bad(`'${family.name}' must list its model_types.`);
  for (const [key, values] of Object.entries(CHOICES)) {
    const v = (family as unknown as Record<string, unknown>)[key];
    if (!(values as readonly unknown[]).includes(v))
      throw bad(
        `'${family.name}' must have ${key} one of ${values.join(', ')}, but has ${JSON.stringify(v)}.`,
      );
  }
  if (!Number.isInteger(family.positionOffset) || family.positionOffset < 0)
    throw bad(`'${family.name}' must have positionOffset, an integer >= 0.`);
  for (const type of family.modelTypes) {
    const owner = byType.get(type);
    if (owner !== undefined && owner !== family)
      throw bad(`'${family.name}' claims model_type '${type}', which '${owner.name}' already has.`);
  }
  for (const type of family.modelTypes) byType.set(type, Object.freeze({ ...family }));
}

for (const family of [bertFamily, xlmRobertaFamily, llamaFamily, qwenFamily, gpt2Family])
  registerModelFamily(family);
