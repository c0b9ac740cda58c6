import { type CachePart, pastName, presentName } from '../generation/cache-names.js';
import type { GraphOutput, GraphValue } from './encode-model.js';
import type { FamilyGraph, GenerationGraph, GenerationPlan } from './graph-ops.js';
import { DATA_TYPE } from './onnx-proto.js';

const PARTS: readonly CachePart[] = ['key', 'value'];
const TOKENS = ['batch_size', 'sequence_length'];

/** Inputs of a hidden-states graph: int64 `[batch_size, sequence_length]` each. */
export function hiddenStatesInputs(graph: FamilyGraph): GraphValue[] {
  return graph.inputs.map((name) => ({ name, elemType: DATA_TYPE.INT64, dims: TOKENS }));
}

/** Outputs of a hidden-states graph: `last_hidden_state`, then `hidden_states_0..L`. */
export function hiddenStatesOutputs(graph: FamilyGraph, hiddenSize: number): GraphOutput[] {
  const sources = [graph.lastHiddenState, ...graph.hiddenStates];
  const names = ['last_hidden_state', ...graph.hiddenStates.map((_, i) => `hidden_states_${i}`)];
  return names.map((name, i) => ({
    name,
    source: sources[i],
    elemType: DATA_TYPE.FLOAT,
    dims: [...TOKENS, hiddenSize],
  }));
}

/**
 * Inputs of a generation graph, named and shaped as Optimum's `decoder_model_merged.onnx`:
 * int64 `input_ids`, `attention_mask` (over the cached and the new positions), `position_ids`,
 * then float32 `past_key_values.<i>.key|value` (`[batch, kv_heads, past, head_dim]`).
 */
export function generationInputs(plan: GenerationPlan, numLayers: number): GraphValue[] {
  const int64 = (name: string, length: string): GraphValue => ({
    name,
    elemType: DATA_TYPE.INT64,
    dims: ['batch_size', length],
  });
  return [
    int64('input_ids', 'sequence_length'),
    int64('attention_mask', 'total_sequence_length'),
    int64('position_ids', 'sequence_length'),
    ...cacheValues(plan, numLayers, pastName, 'past_sequence_length').map(({ name, dims }) => ({
      name,
      elemType: DATA_TYPE.FLOAT,
      dims,
    })),
  ];
}

/**
 * Outputs of a generation graph: `logits`, `present.<i>.key|value` (the cache after the step),
 * then `hidden_states_0..L` of the new positions.
 */
export function generationOutputs(
  plan: GenerationPlan,
  graph: GenerationGraph,
  hiddenSize: number,
): GraphOutput[] {
  const float = (name: string, source: string, dims: Array<string | number>): GraphOutput => ({
    name,
    source,
    elemType: DATA_TYPE.FLOAT,
    dims,
  });
  const presents = cacheValues(plan, graph.presents.length, presentName, 'total_sequence_length');
  return [
    float('logits', graph.logits, [...TOKENS, plan.vocabSize]),
    ...presents.map(({ name, dims, layer, part }) => float(name, graph.presents[layer][part], dims)),
    ...graph.hiddenStates.map((source, i) => float(`hidden_states_${i}`, source, [...TOKENS, hiddenSize])),
  ];
}

function cacheValues(
  plan: GenerationPlan,
  numLayers: number,
  name: (layer: number, part: CachePart) => string,
  length: string,
): Array<{ name: string; dims: Array<string | number>; layer: number; part: CachePart }> {
  return Array.from({ length: numLayers }, (_, layer) =>
    PARTS.map((part) => ({
      name: name(layer, part),
      dims: ['batch_size', plan.kvHeads, length, plan.headDim],
      layer,
      part,
    })),
  ).flat();
}
