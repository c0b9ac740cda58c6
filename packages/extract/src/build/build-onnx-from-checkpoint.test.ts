import { cp, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProgressEvent, decodeSafetensors, encodeSafetensors } from '@xling/core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HiddenStateModel } from '../hidden-state-model.js';
import { buildOnnxFromCheckpoint } from './build-onnx-from-checkpoint.js';
import { DATA_TYPE, onnx } from './onnx-proto.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'build');
const TOLERANCE = 1e-4;

interface Golden {
  model_type: string;
  shape: [number, number, number];
  inputs: Record<string, number[][]>;
  last_hidden_state: number[];
  hidden_states: number[][];
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-build-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function readGolden(name: string): Promise<Golden> {
  return JSON.parse(await readFile(join(FIXTURES, name, 'golden.json'), 'utf8'));
}

function int64Tensor(rows: number[][]): ort.Tensor {
  return new ort.Tensor(
    'int64',
    BigInt64Array.from(rows.flat(), (v) => BigInt(v)),
    [rows.length, rows[0].length],
  );
}

async function run(
  modelPath: string,
  inputs: Record<string, number[][]>,
): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(modelPath);
  try {
    const feeds: Record<string, ort.Tensor> = {};
    for (const name of session.inputNames) feeds[name] = int64Tensor(inputs[name]);
    const results = await session.run(feeds);
    const out: Record<string, Float32Array> = {};
    for (const name of session.outputNames) out[name] = results[name].data as Float32Array;
    return out;
  } finally {
    await session.release();
  }
}

function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) {
    const d = Math.abs(actual[i] - expected[i]);
    if (!(d <= max)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return max;
}

/** Max |ONNX - reference| over every layer's hidden state and last_hidden_state. */
async function compareToGolden(modelPath: string, golden: Golden): Promise<number> {
  const out = await run(modelPath, golden.inputs);
  let max = maxAbsDifference(out.last_hidden_state, golden.last_hidden_state);
  golden.hidden_states.forEach((expected, layer) => {
    max = Math.max(max, maxAbsDifference(out[`hidden_states_${layer}`], expected));
  });
  return max;
}

const FAMILIES = [
  ['bert', 'bert'],
  ['xlm-roberta', 'bert'],
  ['llama', 'llama'],
  ['qwen2', 'llama'],
  ['qwen3', 'llama'],
  ['mistral', 'llama'],
  ['gpt2', 'gpt2'],
] as const;

describe('buildOnnxFromCheckpoint(hfFolder, outDir)', () => {
  for (const [name, family] of FAMILIES) {
    it(`matches the PyTorch reference on every layer of ${name} to 1e-4`, async () => {
      const golden = await readGolden(name);
      const outDir = join(work, name);
      const result = await buildOnnxFromCheckpoint(join(FIXTURES, name), outDir);
      expect(result.family).toBe(family);
      expect(result.modelType).toBe(golden.model_type);
      expect(result.numLayers).toBe(golden.hidden_states.length - 1);
      expect(result.outputNames).toEqual([
        'last_hidden_state',
        ...golden.hidden_states.map((_, i) => `hidden_states_${i}`),
      ]);
      expect(result.modelPath).toBe(join(outDir, 'onnx', 'model.onnx'));
      expect(result.externalDataPath).toBeNull();
      const error = await compareToGolden(result.modelPath, golden);
      expect(error).toBeLessThan(TOLERANCE);
    });
  }

  it('writes a Hugging Face model folder with the tokenizer and config copied', async () => {
    const outDir = join(work, 'bert');
    const files = (await readdir(outDir)).sort();
    expect(files).toEqual(['config.json', 'onnx', 'tokenizer.json', 'tokenizer_config.json']);
    for (const file of ['config.json', 'tokenizer.json']) {
      expect(await readFile(join(outDir, file), 'utf8')).toBe(
        await readFile(join(FIXTURES, 'bert', file), 'utf8'),
      );
    }
  });

  it('takes token_type_ids for bert only', async () => {
    const bert = await ort.InferenceSession.create(join(work, 'bert', 'onnx', 'model.onnx'));
    const roberta = await ort.InferenceSession.create(join(work, 'xlm-roberta', 'onnx', 'model.onnx'));
    expect(bert.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(roberta.inputNames).toEqual(['input_ids', 'attention_mask']);
    await bert.release();
    await roberta.release();
  });

  it('accepts any batch size and sequence length (batch row alone, causal prefix)', async () => {
    const bert = await readGolden('bert');
    const [, length, hidden] = bert.shape;
    const row = (rows: number[][]) => [rows[1]];
    const alone = await run(join(work, 'bert', 'onnx', 'model.onnx'), {
      input_ids: row(bert.inputs.input_ids),
      attention_mask: row(bert.inputs.attention_mask),
      token_type_ids: row(bert.inputs.token_type_ids),
    });
    const expectedRow = bert.hidden_states[2].slice(length * hidden, 2 * length * hidden);
    expect(maxAbsDifference(alone.hidden_states_2, expectedRow)).toBeLessThan(TOLERANCE);

    // A decoder's states at positions 0..3 do not depend on later tokens.
    const llama = await readGolden('llama');
    const [, llamaLength, llamaHidden] = llama.shape;
    const prefix = await run(join(work, 'llama', 'onnx', 'model.onnx'), {
      input_ids: [llama.inputs.input_ids[0].slice(0, 4)],
      attention_mask: [[1, 1, 1, 1]],
    });
    for (let layer = 0; layer < llama.hidden_states.length; layer++) {
      const expected = llama.hidden_states[layer].slice(0, 4 * llamaHidden);
      expect(maxAbsDifference(prefix[`hidden_states_${layer}`], expected)).toBeLessThan(TOLERANCE);
    }
    expect(llamaLength).toBeGreaterThan(4);
  });

  /** A copy of fixture `name` as `as` with its tensors renamed; returns the new names. */
  async function renameTensors(name: string, as: string, rename: (tensor: string) => string) {
    const folder = join(work, as);
    await cp(join(FIXTURES, name), folder, { recursive: true });
    const path = join(folder, 'model.safetensors');
    const { tensors } = decodeSafetensors(await readFile(path));
    const renamed = Object.fromEntries(Object.entries(tensors).map(([key, tensor]) => [rename(key), tensor]));
    await writeFile(path, encodeSafetensors(renamed));
    return { folder, names: Object.keys(renamed) };
  }

  it('reads the legacy LayerNorm.gamma/beta names of original BERT checkpoints', async () => {
    const { folder, names } = await renameTensors('bert', 'bert-gamma', (name) =>
      name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta'),
    );
    expect(names).toContain('bert.embeddings.LayerNorm.gamma');
    const result = await buildOnnxFromCheckpoint(folder, join(work, 'bert-gamma-out'));
    expect(await compareToGolden(result.modelPath, await readGolden('bert'))).toBeLessThan(TOLERANCE);
  });

  it("reads GPT2Model's tensor names without the 'transformer.' prefix", async () => {
    const { folder, names } = await renameTensors('gpt2', 'gpt2-base', (name) =>
      name.replace(/^transformer\./, ''),
    );
    expect(names).toContain('h.0.attn.c_attn.weight');
    const result = await buildOnnxFromCheckpoint(folder, join(work, 'gpt2-base-out'));
    expect(result.generationModelPath).not.toBeNull();
    expect(await compareToGolden(result.modelPath, await readGolden('gpt2'))).toBeLessThan(TOLERANCE);
  });
});

describe('buildOnnxFromCheckpoint(hfFolder, outDir) output in HiddenStateModel', () => {
  for (const name of ['xlm-roberta', 'qwen2', 'gpt2']) {
    it(`loads the ${name} folder and gives the reference hidden states of every layer`, async () => {
      const golden = await readGolden(name);
      const [, length, hidden] = golden.shape;
      const result = await buildOnnxFromCheckpoint(join(FIXTURES, name), join(work, `${name}-model`));
      const model = await HiddenStateModel.load(result.outDir);
      try {
        expect(model.numLayers).toBe(result.numLayers);
        expect(model.layers.map((layer) => layer.tensor)).toEqual(result.outputNames.slice(1));
        const layers = golden.hidden_states.map((_, layer) => layer);
        // Row 0 of the golden batch has no padding; rows do not interact.
        const states = await model.run(Int32Array.from(golden.inputs.input_ids[0]), [length], length, layers);
        for (const layer of layers) {
          const expected = golden.hidden_states[layer].slice(0, length * hidden);
          expect(maxAbsDifference(states.get(layer)!, expected)).toBeLessThan(TOLERANCE);
        }
      } finally {
        await model.dispose();
      }
    });
  }
});

describe('buildOnnxFromCheckpoint(hfFolder, outDir, options)', () => {
  it("writes float16 weights to model_fp16.onnx with dtype: 'fp16' (exact for an F16 checkpoint)", async () => {
    const result = await buildOnnxFromCheckpoint(join(FIXTURES, 'mistral'), join(work, 'mistral-fp16'), {
      dtype: 'fp16',
    });
    expect(result.modelPath).toBe(join(work, 'mistral-fp16', 'onnx', 'model_fp16.onnx'));
    // Every weight is a float16 initializer: 2 bytes per parameter.
    const model = onnx.ModelProto.decode(await readFile(result.modelPath));
    const weights = (model.graph?.initializer ?? []).filter(
      (tensor) => tensor.dataType === DATA_TYPE.FLOAT16,
    );
    expect(weights.reduce((sum, tensor) => sum + (tensor.rawData?.byteLength ?? 0), 0)).toBe(
      2 * result.parameterCount,
    );
    expect(await compareToGolden(result.modelPath, await readGolden('mistral'))).toBeLessThan(TOLERANCE);
  });

  it("rounds float32 weights to float16 with dtype: 'fp16' (bert, within 1e-2)", async () => {
    const result = await buildOnnxFromCheckpoint(join(FIXTURES, 'bert'), join(work, 'bert-fp16'), {
      dtype: 'fp16',
    });
    const error = await compareToGolden(result.modelPath, await readGolden('bert'));
    expect(error).toBeGreaterThan(0);
    expect(error).toBeLessThan(1e-2);
  });

  it("writes weights to model.onnx_data with externalData: 'always'", async () => {
    const outDir = join(work, 'llama-external');
    const result = await buildOnnxFromCheckpoint(join(FIXTURES, 'llama'), outDir, { externalData: 'always' });
    expect(result.externalDataPath).toBe(join(outDir, 'onnx', 'model.onnx_data'));
    expect((await readdir(join(outDir, 'onnx'))).sort()).toEqual([
      'decoder_model_merged.onnx',
      'model.onnx',
      'model.onnx_data',
    ]);
    const dataSize = (await stat(result.externalDataPath!)).size;
    expect(dataSize).toBeGreaterThan(4 * 0.9 * result.parameterCount);
    // llama ties its embeddings: the generation graph adds no weight, so the data file is shared.
    expect(dataSize).toBeLessThan(4 * 1.1 * result.parameterCount);
    expect((await stat(result.modelPath)).size).toBeLessThan(dataSize / 4);
    expect((await stat(result.generationModelPath!)).size).toBeLessThan(dataSize / 4);
    expect(await compareToGolden(result.modelPath, await readGolden('llama'))).toBeLessThan(TOLERANCE);
  });

  for (const [name, tensors] of [
    // embeddings + 3 layers x (2 norms, q/k/v/o, q_norm, k_norm, gate/up/down) + final norm
    ['qwen3', 1 + 3 * 11 + 1],
    // wte, wpe + 2 layers x (2 LayerNorms, c_attn, c_proj, c_fc, c_proj; weight and bias) + ln_f,
    // each read once for both graphs
    ['gpt2', 2 + 2 * 12 + 2],
  ] as const) {
    it(`reports progress per tensor from start to end (${name})`, async () => {
      const events: ProgressEvent[] = [];
      await buildOnnxFromCheckpoint(join(FIXTURES, name), join(work, `${name}-progress`), {
        onProgress: (event) => events.push(event),
      });
      expect(events[0]).toMatchObject({ status: 'start', task: 'build-onnx', unit: 'tensor' });
      const total = events[0].status === 'start' ? events[0].total : -1;
      expect(total).toBe(tensors);
      expect(events.at(-1)).toMatchObject({ status: 'end', done: total, total });
      expect(events.filter((event) => event.status === 'progress')).toHaveLength(total!);
    });
  }

  it('throws XLING_ABORTED when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      buildOnnxFromCheckpoint(join(FIXTURES, 'bert'), join(work, 'aborted'), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
  });

  it('throws XLING_INVALID_ARGUMENT for an unknown dtype', async () => {
    await expect(
      buildOnnxFromCheckpoint(join(FIXTURES, 'bert'), join(work, 'x'), { dtype: 'q8' as 'fp32' }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/options\.dtype.*'fp32', 'fp16'/),
    });
  });
});

describe('buildOnnxFromCheckpoint(hfFolder, outDir) errors', () => {
  async function copyFixture(name: string, as: string): Promise<string> {
    const folder = join(work, 'broken', as);
    await cp(join(FIXTURES, name), folder, { recursive: true });
    return folder;
  }

  async function editConfig(folder: string, edit: (config: Record<string, unknown>) => void): Promise<void> {
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8'));
    edit(config);
    await writeFile(join(folder, 'config.json'), JSON.stringify(config));
  }

  it('throws XLING_MODEL_FOLDER naming an unsupported model_type and listing the supported ones', async () => {
    const folder = await copyFixture('bert', 't5');
    await editConfig(folder, (config) => {
      config.model_type = 't5';
      config.architectures = ['T5EncoderModel'];
    });
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-t5'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(
        /model_type 't5' \(architectures: T5EncoderModel\).*supported model_types: bert, roberta, xlm-roberta, llama, mistral, qwen2, qwen3, gpt2\.$/,
      ),
    });
  });

  it('throws XLING_MODEL_FOLDER naming a missing tensor', async () => {
    const folder = await copyFixture('bert', 'missing-tensor');
    const path = join(folder, 'model.safetensors');
    const { tensors } = decodeSafetensors(await readFile(path));
    delete tensors['bert.encoder.layer.1.output.dense.weight'];
    await writeFile(path, encodeSafetensors(tensors));
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-missing'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/tensor 'bert\.encoder\.layer\.1\.output\.dense\.weight' is missing/),
    });
  });

  it('throws XLING_MODEL_FOLDER naming a missing shard of a sharded checkpoint', async () => {
    const folder = await copyFixture('llama', 'missing-shard');
    await rm(join(folder, 'model-00002-of-00002.safetensors'));
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-shard'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      missing: ['model-00002-of-00002.safetensors'],
    });
  });

  it('throws XLING_SHAPE_MISMATCH naming the tensor when config.json disagrees with the weights', async () => {
    const folder = await copyFixture('qwen2', 'shape');
    await editConfig(folder, (config) => {
      config.intermediate_size = 41;
    });
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-shape'))).rejects.toMatchObject({
      code: 'XLING_SHAPE_MISMATCH',
      message: expect.stringMatching(
        /'model\.layers\.0\.mlp\.gate_proj\.weight'.*shape \[41, 24\] \(from config\.json: intermediate_size 41, hidden_size 24\), but got \[40, 24\]/,
      ),
    });
  });

  it('throws XLING_MODEL_FOLDER when tokenizer.json or config.json is missing', async () => {
    const folder = await copyFixture('xlm-roberta', 'no-tokenizer');
    await rm(join(folder, 'tokenizer.json'));
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-tok'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      missing: ['tokenizer.json'],
    });
    await rm(join(folder, 'config.json'));
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-tok'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      missing: ['config.json'],
    });
  });

  it('throws XLING_MODEL_FOLDER naming an unsupported GPT-2 activation or attention switch', async () => {
    const cases = [
      [
        { activation_function: 'relu' },
        /activation_function 'relu' \(supported: gelu_new, gelu_pytorch_tanh, gelu\)/,
      ],
      [{ scale_attn_by_inverse_layer_idx: true }, /scale_attn_by_inverse_layer_idx true/],
      [{ reorder_and_upcast_attn: true }, /reorder_and_upcast_attn true/],
    ] as const;
    for (const [edit, message] of cases) {
      const folder = await copyFixture('gpt2', `gpt2-${Object.keys(edit)[0]}`);
      await editConfig(folder, (config) => Object.assign(config, edit));
      await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-gpt2'))).rejects.toMatchObject({
        code: 'XLING_MODEL_FOLDER',
        message: expect.stringMatching(message),
      });
    }
  });

  it('throws XLING_MODEL_FOLDER naming n_layer when a GPT-2 config claims more layers than its weights', async () => {
    const folder = await copyFixture('gpt2', 'gpt2-layers');
    await editConfig(folder, (config) => {
      config.n_layer = 3;
    });
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-gpt2'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(
        /config\.json has n_layer 3, but the checkpoint .* holds the tensors of 2 layers/,
      ),
    });
  });

  it('throws XLING_MODEL_FOLDER for an unsupported rope_scaling type', async () => {
    const folder = await copyFixture('llama', 'yarn');
    await editConfig(folder, (config) => {
      config.rope_scaling = { rope_type: 'yarn', factor: 4 };
    });
    await expect(buildOnnxFromCheckpoint(folder, join(work, 'out-yarn'))).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/rope_scaling type 'yarn' \(supported: default, linear, llama3\)/),
    });
  });
});
