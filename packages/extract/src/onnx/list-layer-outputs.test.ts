import { describe, expect, it } from 'vitest';
import { copyModel } from '../test-helpers.js';
import { listLayerOutputs } from './list-layer-outputs.js';

describe('listLayerOutputs(dir)', () => {
  it('lists the 2L + 1 LayerNormalization nodes of a post-norm encoder and reads their outputs', async () => {
    const result = await listLayerOutputs(await copyModel('tiny-bert'));
    expect(result.graphOutputs).toEqual(['last_hidden_state']);
    expect(result.norms).toHaveLength(7);
    expect(result.norms.every((n) => n.opType === 'LayerNormalization')).toBe(true);
    expect(result.layers!.map((l) => l.tensor)).toEqual([0, 2, 4, 6].map((i) => result.norms[i].output));
    expect(result.layers!.at(-1)!.tensor).toBe('last_hidden_state');
  });

  it('finds decomposed LayerNorms (opset 14) and traces their affine outputs', async () => {
    const result = await listLayerOutputs(await copyModel('tiny-bert'), { modelFileName: 'model_opset14' });
    expect(result.norms).toHaveLength(7);
    expect(result.norms.every((n) => n.opType === 'LayerNorm (decomposed)' && n.output !== null)).toBe(true);
    expect(result.layers!.at(-1)!.tensor).toBe('last_hidden_state');
  });

  it('finds decomposed RMSNorms of a pre-norm decoder and reads the residual stream', async () => {
    const result = await listLayerOutputs(await copyModel('tiny-llama'));
    expect(result.norms).toHaveLength(5);
    expect(result.norms[0].opType).toBe('RMSNorm (decomposed)');
    expect(result.layers!.map((l) => l.source)).toEqual(['norm-input', 'norm-input', 'norm-output']);
    expect(result.layers![1].tensor).toBe(result.norms[2].input);
    expect(result.layers![2].tensor).toBe('last_hidden_state');
  });

  it('prefers hidden_states outputs when the export has them', async () => {
    const result = await listLayerOutputs(await copyModel('tiny-llama'), {
      modelFileName: 'model_with_hidden_states',
    });
    expect(result.layers!.map((l) => [l.tensor, l.source])).toEqual([
      ['hidden_states.0', 'graph-output'],
      ['hidden_states.1', 'graph-output'],
      ['hidden_states.2', 'graph-output'],
    ]);
  });
});
