import { describe, expect, it } from 'vitest';
import { bertFamily } from '../families/bert.js';
import { llamaFamily } from '../families/llama.js';
import { findLayerTensors } from './find-layer-tensors.js';
import type { OnnxModelProto } from './read-onnx-model.js';

function graph(outputs: string[], node: OnnxModelProto['graph']['node'] = []): OnnxModelProto {
  return {
    graph: {
      node,
      input: [{ name: 'input_ids' }],
      output: outputs.map((name) => ({ name })),
      valueInfo: [],
      initializer: [],
    },
  };
}

describe('findLayerTensors(model, family, numLayers)', () => {
  it('reads hidden_states_<i> outputs (the checkpoint builder) as well as hidden_states.<i> (optimum)', () => {
    const names = ['last_hidden_state', 'hidden_states_0', 'hidden_states_1', 'hidden_states_2'];
    const result = findLayerTensors(graph(names), llamaFamily, 2);
    expect(result.layers!.map((l) => l.tensor)).toEqual(names.slice(1));
    expect(result.layers!.every((l) => l.source === 'graph-output')).toBe(true);
  });

  it('returns layers null with a problem when the hidden_states outputs do not cover 0..L', () => {
    const result = findLayerTensors(
      graph(['last_hidden_state', 'hidden_states.0', 'hidden_states.1']),
      bertFamily,
      2,
    );
    expect(result.layers).toBe(null);
    expect(result.problem).toMatch(/expected 5 normalisation nodes for 2 post-norm blocks, but found 0/);
  });

  it('reads the fused residual sum of SkipLayerNormalization when the graph has it', () => {
    const node = [0, 1, 2].map((i) => ({
      name: `skip${i}`,
      opType: i === 0 ? 'LayerNormalization' : 'SkipSimplifiedLayerNormalization',
      input: [`x${i}`, `r${i}`, 'w'],
      output: [`n${i}`, '', '', `sum${i}`],
    }));
    const result = findLayerTensors(graph(['last_hidden_state'], node), llamaFamily, 1);
    expect(result.norms.map((n) => n.input)).toEqual(['x0', 'sum1', 'sum2']);
    expect(result.layers!.map((l) => l.tensor)).toEqual(['x0', 'n2']);
  });
});
