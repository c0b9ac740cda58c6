import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnnxFromCheckpoint } from '../build/build-onnx-from-checkpoint.js';
import { type ModelProto, onnx } from '../build/onnx-proto.js';
import { FIXTURES } from '../test-helpers.js';
import { GenerationModel } from './generation-model.js';

const TOLERANCE = 1e-4;
const DECODERS = ['llama', 'qwen2', 'qwen3', 'mistral', 'gpt2'] as const;

interface GenerationGolden {
  shape: [number, number, number];
  vocab_size: number;
  inputs: { input_ids: number[][] };
  logits: number[];
  hidden_states: number[][];
}

let work: string;
const goldens = new Map<string, GenerationGolden>();
const models = new Map<string, GenerationModel>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'xling-generation-'));
  for (const name of DECODERS) {
    const fixture = join(FIXTURES, 'build', name);
    goldens.set(name, JSON.parse(await readFile(join(fixture, 'generation-golden.json'), 'utf8')));
    await buildOnnxFromCheckpoint(fixture, join(work, name));
    models.set(name, await GenerationModel.load(join(work, name)));
  }
});
afterAll(async () => {
  for (const model of models.values()) await model.dispose();
  await rm(work, { recursive: true, force: true });
});

/** Rows `rows` and positions `from..to-1` of a golden `[B, S, width]` array. */
function slice(
  values: number[],
  golden: { shape: [number, number, number] },
  width: number,
  rows: number[],
  from: number,
  to: number,
) {
  const length = golden.shape[1];
  return rows.flatMap((b) => values.slice((b * length + from) * width, (b * length + to) * width));
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

/** Max difference of logits and every hidden state from the golden rows and positions. */
function difference(
  name: string,
  output: Awaited<ReturnType<GenerationModel['forward']>>,
  rows: number[],
  from: number,
  to: number,
): number {
  const golden = goldens.get(name)!;
  const [, , hidden] = golden.shape;
  let max = maxAbsDifference(output.logits, slice(golden.logits, golden, golden.vocab_size, rows, from, to));
  expect(output.hiddenStates).toHaveLength(golden.hidden_states.length);
  golden.hidden_states.forEach((expected, layer) => {
    max = Math.max(
      max,
      maxAbsDifference(output.hiddenStates![layer], slice(expected, golden, hidden, rows, from, to)),
    );
  });
  return max;
}

/** Token ids of rows `rows`, positions `from..to-1`. */
function ids(name: string, rows: number[], from: number, to: number): Int32Array {
  return Int32Array.from(rows.flatMap((b) => goldens.get(name)!.inputs.input_ids[b].slice(from, to)));
}

describe('GenerationModel.forward(input) on the built decoder graph', () => {
  for (const name of DECODERS) {
    it(`gives the reference logits and hidden states of every layer of ${name} to 1e-4 (no cache)`, async () => {
      const model = models.get(name)!;
      const output = await model.forward({ inputIds: ids(name, [0, 1], 0, 7), batchSize: 2 });
      expect(output).toMatchObject({ batchSize: 2, length: 7, vocabSize: goldens.get(name)!.vocab_size });
      expect(output.present.length).toBe(7);
      expect(difference(name, output, [0, 1], 0, 7)).toBeLessThan(TOLERANCE);
    });

    it(`decodes ${name} incrementally (prefix, one token at a time, a chunk of 2) like the full pass`, async () => {
      const model = models.get(name)!;
      const rows = [0, 1];
      let output = await model.forward({ inputIds: ids(name, rows, 0, 3), batchSize: 2 });
      expect(difference(name, output, rows, 0, 3)).toBeLessThan(TOLERANCE);
      for (const [from, to] of [
        [3, 4],
        [4, 5],
        [5, 7],
      ]) {
        output = await model.forward({ inputIds: ids(name, rows, from, to), past: output.present });
        expect(output.present.length).toBe(to);
        expect(difference(name, output, rows, from, to)).toBeLessThan(TOLERANCE);
      }
    });

    it(`gives ${name}'s unpadded logits at the real positions of a left-padded row, with and without a cache`, async () => {
      const model = models.get(name)!;
      // Row 0: tokens 0..4 of golden row 0; row 1: tokens 0..2 of golden row 1 after two pads.
      const inputIds = Int32Array.from([...ids(name, [0], 0, 5), 0, 0, ...ids(name, [1], 0, 3)]);
      const attentionMask = Int32Array.of(1, 1, 1, 1, 1, 0, 0, 1, 1, 1);
      const first = await model.forward({ inputIds, batchSize: 2, attentionMask });
      const vocab = model.vocabSize;
      const golden = goldens.get(name)!;
      const realRow1 = first.logits.subarray(5 * vocab + 2 * vocab, 10 * vocab);
      expect(
        maxAbsDifference(first.logits.subarray(0, 5 * vocab), slice(golden.logits, golden, vocab, [0], 0, 5)),
      ).toBeLessThan(TOLERANCE);
      expect(maxAbsDifference(realRow1, slice(golden.logits, golden, vocab, [1], 0, 3))).toBeLessThan(
        TOLERANCE,
      );
      // The next step continues each row at its own position (5 and 3), the mask kept in the cache.
      const next = await model.forward({
        inputIds: Int32Array.from([...ids(name, [0], 5, 6), ...ids(name, [1], 3, 4)]),
        past: first.present,
      });
      const expected = [
        ...slice(golden.logits, golden, vocab, [0], 5, 6),
        ...slice(golden.logits, golden, vocab, [1], 3, 4),
      ];
      expect(maxAbsDifference(next.logits, expected)).toBeLessThan(TOLERANCE);
    });
  }
});

describe('GenerationModel.forward(input) errors', () => {
  it('throws XLING_INVALID_ARGUMENT for a cache from another model or not from forward', async () => {
    const llama = models.get('llama')!;
    const other = await GenerationModel.load(join(work, 'llama'));
    try {
      const { present } = await other.forward({ inputIds: [3, 17] });
      await expect(llama.forward({ inputIds: [5], past: present })).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'input\.past'.*made by another GenerationModel/),
      });
      const forged = { batchSize: 1, length: 2 } as typeof present;
      await expect(llama.forward({ inputIds: [5], past: forged })).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/'input\.past'.*present cache a previous forward call returned/),
      });
    } finally {
      await other.dispose();
    }
  });

  it('throws XLING_SHAPE_MISMATCH for lengths that do not fit the batch or the cache', async () => {
    const model = models.get('qwen2')!;
    const { present } = await model.forward({ inputIds: [3, 17, 6, 2], batchSize: 2 });
    const cases = [
      [{ inputIds: [3, 17, 5], batchSize: 2 }, /'input\.inputIds'.*multiple of batchSize 2.*got 3/],
      [
        { inputIds: [5, 9], past: present, attentionMask: [1, 1, 1, 1] },
        /'input\.attentionMask'.*2 × 3 = 6 entries, but got 4/,
      ],
      [{ inputIds: [5, 9], positionIds: [2, 2, 2, 2] }, /'input\.positionIds'.*1 × 2 = 2 entries, but got 4/],
      [
        { inputIds: [5, 9, 1], past: present, batchSize: 3 },
        /'input\.batchSize'.*2 rows like 'input\.past', but got 3/,
      ],
    ] as const;
    for (const [input, message] of cases) {
      await expect(model.forward(input)).rejects.toMatchObject({
        code: 'XLING_SHAPE_MISMATCH',
        message: expect.stringMatching(message),
      });
    }
  });

  it('throws XLING_INVALID_ARGUMENT for non-integer, out-of-vocabulary or untyped ids and a non-0/1 mask', async () => {
    const model = models.get('mistral')!;
    const cases = [
      [{ inputIds: [3, 1.5] }, /'input\.inputIds'.*integers from 0 to 39, but entry 1 is 1\.5/],
      [{ inputIds: Int32Array.of(3, 40) }, /'input\.inputIds'.*integers from 0 to 39, but entry 1 is 40/],
      [{ inputIds: Float32Array.of(3) }, /'input\.inputIds'.*but got Float32Array/],
      [{ inputIds: [3], attentionMask: [2] }, /'input\.attentionMask'.*integers from 0 to 1/],
      [{ inputIds: [3], batchSize: 0 }, /'input\.batchSize'.*positive integer, but got 0/],
    ] as const;
    for (const [input, message] of cases) {
      await expect(model.forward(input as never)).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(message),
      });
    }
  });
});

describe('GenerationModel.load(dir)', () => {
  it('reads an Optimum-style graph without hidden-state outputs and reports them unavailable', async () => {
    const folder = join(work, 'optimum');
    await cp(join(work, 'qwen2'), folder, { recursive: true });
    const path = join(folder, 'onnx', 'decoder_model_merged.onnx');
    const model = onnx.ModelProto.decode(await readFile(path));
    const graph = model.graph!;
    graph.output = (graph.output ?? []).filter((output) => !output.name!.startsWith('hidden_states'));
    await writeFile(path, onnx.ModelProto.encode(model).finish());
    const optimum = await GenerationModel.load(folder);
    try {
      expect(optimum.hasHiddenStates).toBe(false);
      const output = await optimum.forward({ inputIds: ids('qwen2', [1], 0, 7) });
      expect(output.hiddenStates).toBeUndefined();
      const golden = goldens.get('qwen2')!;
      expect(
        maxAbsDifference(output.logits, slice(golden.logits, golden, golden.vocab_size, [1], 0, 7)),
      ).toBeLessThan(TOLERANCE);
    } finally {
      await optimum.dispose();
    }
  });

  it('builds the graphs of a folder that holds only the checkpoint on first use', async () => {
    const folder = join(work, 'checkpoint-only');
    await cp(join(FIXTURES, 'build', 'llama'), folder, { recursive: true });
    const model = await GenerationModel.load(folder);
    try {
      expect(existsSync(join(folder, 'onnx', 'decoder_model_merged.onnx'))).toBe(true);
      const output = await model.forward({ inputIds: ids('llama', [0], 0, 5) });
      expect(difference('llama', output, [0], 0, 5)).toBeLessThan(TOLERANCE);
    } finally {
      await model.dispose();
    }
  });

  it('throws XLING_MODEL_FOLDER for a graph without a cache and for a folder without the graph', async () => {
    await expect(GenerationModel.load(join(work, 'llama'), { modelFileName: 'model' })).rejects.toMatchObject(
      {
        code: 'XLING_MODEL_FOLDER',
        message: expect.stringMatching(/model\.onnx has no 'past_key_values\.<i>\.key\|value' inputs/),
      },
    );
    const bert = join(work, 'bert');
    await buildOnnxFromCheckpoint(join(FIXTURES, 'build', 'bert'), bert);
    await expect(GenerationModel.load(bert)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(/decoder_model_merged\.onnx/),
    });
  });
});

/** golden.json of the Optimum-layout export (scripts/golden/build/export_optimum_style.py). */
interface OptimumGolden {
  shape: [number, number, number];
  inputs: { input_ids: number[][] };
  /** The whole sequence in one call, no cache. */
  logits: number[];
  /** `[from, to)` chunks fed one after the other with the cache. */
  incremental: { steps: [number, number][]; logits: number[] };
  padded: {
    input_ids: number[][];
    attention_mask: number[][];
    logits: number[];
    next_input_ids: number[][];
    next_logits: number[];
  };
}

describe("GenerationModel on a decoder exported by torch.onnx in Optimum's layout", () => {
  const folder = join(FIXTURES, 'optimum-llama');
  let golden: OptimumGolden;
  let model: GenerationModel;
  const tokens = (rows: number[], from: number, to: number) =>
    Int32Array.from(rows.flatMap((b) => golden.inputs.input_ids[b].slice(from, to)));

  beforeAll(async () => {
    golden = JSON.parse(await readFile(join(folder, 'golden.json'), 'utf8'));
    model = await GenerationModel.load(folder, { modelFileName: 'model' });
  });
  afterAll(async () => {
    await model?.dispose();
  });

  it('reads the layout: no hidden states, the cache and vocabulary of the checkpoint', () => {
    expect(model.hasHiddenStates).toBe(false);
    expect(model).toMatchObject({ numLayers: 2, vocabSize: golden.shape[2] });
  });

  it('gives the PyTorch logits of the whole sequence to 1e-4, starting from an empty past', async () => {
    const [batchSize, length] = golden.shape;
    const output = await model.forward({ inputIds: tokens([0, 1], 0, length), batchSize });
    expect(output.hiddenStates).toBeUndefined();
    expect(output.present.length).toBe(length);
    expect(maxAbsDifference(output.logits, golden.logits)).toBeLessThan(TOLERANCE);
  });

  it('decodes incrementally (prefix, then one token at a time) like PyTorch with its cache', async () => {
    const rows = [0, 1];
    const { steps, logits } = golden.incremental;
    let output: Awaited<ReturnType<GenerationModel['forward']>> | undefined;
    for (const [from, to] of steps) {
      output = await model.forward({ inputIds: tokens(rows, from, to), batchSize: 2, past: output?.present });
      expect(output.present.length).toBe(to);
      const expected = slice(logits, golden, golden.shape[2], rows, from, to);
      expect(maxAbsDifference(output.logits, expected)).toBeLessThan(TOLERANCE);
    }
  });

  it('gives the PyTorch logits at the real positions of a left-padded batch, then one cached step', async () => {
    const { padded } = golden;
    const vocab = golden.shape[2];
    const mask = padded.attention_mask.flat();
    const first = await model.forward({
      inputIds: padded.input_ids.flat(),
      batchSize: 2,
      attentionMask: mask,
    });
    // Positions under padding see no token at all: their logits mean nothing on either side.
    const real = (values: Float32Array | number[]) =>
      mask.flatMap((m, i) => (m === 1 ? Array.from(values.slice(i * vocab, (i + 1) * vocab)) : []));
    expect(maxAbsDifference(real(first.logits), real(padded.logits))).toBeLessThan(TOLERANCE);
    const next = await model.forward({ inputIds: padded.next_input_ids.flat(), past: first.present });
    expect(maxAbsDifference(next.logits, padded.next_logits)).toBeLessThan(TOLERANCE);
  });
});

/** ONNX `AttributeProto.AttributeType.GRAPH`. */
const GRAPH_ATTRIBUTE = 5;

/**
 * The model in the form of Optimum's merged `decoder_model_merged.onnx`: one `If` node on a boolean
 * `use_cache_branch` input whose two branches (Optimum's decoder with and without past) are here
 * both the original graph, its values renamed per branch; initializers and inputs stay outside.
 */
function mergedLikeOptimum(model: ModelProto): ModelProto {
  const g = model.graph!;
  const outer = new Set([...(g.input ?? []), ...(g.initializer ?? [])].map((v) => v.name!));
  const branch = (prefix: string) => {
    const rename = (name: string) => (name === '' || outer.has(name) ? name : `${prefix}/${name}`);
    return onnx.GraphProto.create({
      name: prefix,
      node: (g.node ?? []).map((n) =>
        onnx.NodeProto.create({
          ...n,
          name: `${prefix}/${n.name ?? ''}`,
          input: (n.input ?? []).map(rename),
          output: (n.output ?? []).map(rename),
        }),
      ),
      output: (g.output ?? []).map((o) => onnx.ValueInfoProto.create({ ...o, name: rename(o.name!) })),
    });
  };
  const useCacheBranch = onnx.ValueInfoProto.create({
    name: 'use_cache_branch',
    type: { tensorType: { elemType: 9, shape: { dim: [{ dimValue: 1 }] } } },
  });
  const merge = onnx.NodeProto.create({
    name: 'optimum::if',
    opType: 'If',
    input: ['use_cache_branch'],
    output: (g.output ?? []).map((o) => o.name!),
    attribute: [
      { name: 'then_branch', type: GRAPH_ATTRIBUTE, g: branch('with_past') },
      { name: 'else_branch', type: GRAPH_ATTRIBUTE, g: branch('without_past') },
    ],
  });
  const graph = onnx.GraphProto.create({
    name: g.name,
    node: [merge],
    input: [...(g.input ?? []), useCacheBranch],
    output: g.output,
    initializer: g.initializer,
  });
  return onnx.ModelProto.create({ ...model, graph });
}

describe("GenerationModel on Optimum's merged layout (If on use_cache_branch)", () => {
  let work: string;
  let golden: OptimumGolden;
  let model: GenerationModel;
  const tokens = (rows: number[], from: number, to: number) =>
    Int32Array.from(rows.flatMap((b) => golden.inputs.input_ids[b].slice(from, to)));

  beforeAll(async () => {
    const source = join(FIXTURES, 'optimum-llama');
    golden = JSON.parse(await readFile(join(source, 'golden.json'), 'utf8'));
    work = await mkdtemp(join(tmpdir(), 'xling-optimum-merged-'));
    await cp(source, work, { recursive: true });
    const exported = onnx.ModelProto.decode(await readFile(join(source, 'onnx', 'model.onnx')));
    const merged = onnx.ModelProto.encode(mergedLikeOptimum(exported)).finish();
    await rm(join(work, 'onnx', 'model.onnx'));
    await writeFile(join(work, 'onnx', 'decoder_model_merged.onnx'), merged);
    model = await GenerationModel.load(work);
  });
  afterAll(async () => {
    await model?.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it('feeds use_cache_branch (false, then true) and decodes like PyTorch with its cache', async () => {
    const [batchSize, length] = golden.shape;
    const whole = await model.forward({ inputIds: tokens([0, 1], 0, length), batchSize });
    expect(maxAbsDifference(whole.logits, golden.logits)).toBeLessThan(TOLERANCE);
    const { steps, logits } = golden.incremental;
    let output: Awaited<ReturnType<GenerationModel['forward']>> | undefined;
    for (const [from, to] of steps) {
      output = await model.forward({
        inputIds: tokens([0, 1], from, to),
        batchSize: 2,
        past: output?.present,
      });
      const expected = slice(logits, golden, golden.shape[2], [0, 1], from, to);
      expect(maxAbsDifference(output.logits, expected)).toBeLessThan(TOLERANCE);
    }
  });
});
