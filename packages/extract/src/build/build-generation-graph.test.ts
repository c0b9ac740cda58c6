import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeSafetensors, encodeSafetensors } from '@xling/core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationModel } from '../generation/generation-model.js';
import { FIXTURES } from '../test-helpers.js';
import { buildOnnxFromCheckpoint } from './build-onnx-from-checkpoint.js';

const BUILD = join(FIXTURES, 'build');

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-build-generation-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function names(path: string): Promise<{ inputs: readonly string[]; outputs: readonly string[] }> {
  const session = await ort.InferenceSession.create(path);
  const result = { inputs: session.inputNames, outputs: session.outputNames };
  await session.release();
  return result;
}

describe('buildOnnxFromCheckpoint(hfFolder, outDir) generation graph', () => {
  it('writes decoder_model_merged.onnx with Optimum-named inputs and outputs for a decoder', async () => {
    const out = join(work, 'qwen3');
    const result = await buildOnnxFromCheckpoint(join(BUILD, 'qwen3'), out);
    expect(result.generationModelPath).toBe(join(out, 'onnx', 'decoder_model_merged.onnx'));
    const cache = (prefix: string) =>
      [0, 1, 2].flatMap((layer) => [`${prefix}.${layer}.key`, `${prefix}.${layer}.value`]);
    expect(await names(result.generationModelPath!)).toEqual({
      inputs: ['input_ids', 'attention_mask', 'position_ids', ...cache('past_key_values')],
      outputs: ['logits', ...cache('present'), ...result.outputNames.slice(1)],
    });
  });

  it('writes no generation graph for an encoder or with generation: never', async () => {
    const bert = await buildOnnxFromCheckpoint(join(BUILD, 'bert'), join(work, 'bert'));
    expect(bert.generationModelPath).toBeNull();
    expect(await readdir(join(work, 'bert', 'onnx'))).toEqual(['model.onnx']);
    const llama = await buildOnnxFromCheckpoint(join(BUILD, 'llama'), join(work, 'llama-plain'), {
      generation: 'never',
    });
    expect(llama.generationModelPath).toBeNull();
    expect(await readdir(join(work, 'llama-plain', 'onnx'))).toEqual(['model.onnx']);
  });

  it("writes decoder_model_merged_fp16.onnx with dtype: 'fp16' (exact for an F16 checkpoint)", async () => {
    const out = join(work, 'mistral-fp16');
    const result = await buildOnnxFromCheckpoint(join(BUILD, 'mistral'), out, { dtype: 'fp16' });
    expect(result.generationModelPath).toBe(join(out, 'onnx', 'decoder_model_merged_fp16.onnx'));
    const golden = JSON.parse(await readFile(join(BUILD, 'mistral', 'generation-golden.json'), 'utf8'));
    const model = await GenerationModel.load(out, { dtype: 'fp16' });
    try {
      const { logits } = await model.forward({ inputIds: golden.inputs.input_ids[0] });
      const expected = golden.logits.slice(0, logits.length);
      expect(Math.max(...Array.from(logits, (v, i) => Math.abs(v - expected[i])))).toBeLessThan(1e-4);
    } finally {
      await model.dispose();
    }
  });

  it('builds only model.onnx for an untied checkpoint without lm_head.weight, saying why; fails with generation: always', async () => {
    const folder = join(work, 'headless');
    await cp(join(BUILD, 'qwen2'), folder, { recursive: true });
    const path = join(folder, 'model.safetensors');
    const { tensors } = decodeSafetensors(await readFile(path));
    delete tensors['lm_head.weight'];
    await writeFile(path, encodeSafetensors(tensors));
    const result = await buildOnnxFromCheckpoint(folder, join(work, 'headless-out'));
    expect(result.generationModelPath).toBeNull();
    expect(result.generationSkipped).toMatch(/tensor 'lm_head\.weight' is missing .*base-model checkpoint/);
    await expect(
      buildOnnxFromCheckpoint(folder, join(work, 'headless-always'), { generation: 'always' }),
    ).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/lm_head\.weight' is missing .*generation: 'always'/),
    });
  });

  it('throws XLING_INVALID_ARGUMENT for an unknown generation option', async () => {
    await expect(
      buildOnnxFromCheckpoint(join(BUILD, 'llama'), join(work, 'x'), { generation: 'no' as never }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/options\.generation/),
    });
  });
});
