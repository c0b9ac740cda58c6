import { InvalidArgumentError } from '@xling/core';
import type { HiddenStateModel } from './hidden-state-model.js';
import { POOLINGS, type Pooling } from './pooling/pool-words.js';

/** Checks `layers` against the model (0..numLayers) and returns them sorted without repeats. */
export function checkLayers(model: HiddenStateModel, layers: unknown, functionName: string): number[] {
  if (!Array.isArray(layers) || layers.length === 0) {
    throw new InvalidArgumentError(
      'options.layers',
      functionName,
      `must be a non-empty array of layer indices, but got ${JSON.stringify(layers)}.`,
    );
  }
  for (const layer of layers) {
    if (!Number.isInteger(layer) || layer < 0 || layer > model.numLayers) {
      throw new InvalidArgumentError(
        'options.layers',
        functionName,
        `must hold layer indices from 0 (embeddings) to ${model.numLayers} for this ${model.numLayers}-layer model, but got ${JSON.stringify(layer)}.`,
      );
    }
  }
  return [...new Set(layers as number[])].sort((a, b) => a - b);
}

/** Normalises `pooling` (one or several) with the family default. */
export function checkPoolings(model: HiddenStateModel, pooling: unknown, functionName: string): Pooling[] {
  const list =
    pooling === undefined
      ? [model.folder.family.defaultPooling]
      : Array.isArray(pooling)
        ? pooling
        : [pooling];
  if (list.length === 0 || !list.every((p) => POOLINGS.includes(p as Pooling))) {
    throw new InvalidArgumentError(
      'options.pooling',
      functionName,
      `must be one of ${POOLINGS.map((p) => `'${p}'`).join(', ')} or an array of them, but got ${JSON.stringify(pooling)}.`,
    );
  }
  return [...new Set(list as Pooling[])];
}
