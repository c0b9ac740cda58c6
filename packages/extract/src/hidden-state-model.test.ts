import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedSentences } from './embed-sentences.js';
import { HiddenStateModel } from './hidden-state-model.js';
import { encodeOnnxModel, onnx, readOnnxModel } from './onnx/read-onnx-model.js';
import { FIXTURES, copyModel, moveWeightsToExternalData } from './test-helpers.js';

const golden = JSON.parse(readFileSync(join(FIXTURES, 'tiny-bert.golden.json'), 'utf8'));

describe('HiddenStateModel.load(dir, options)', () => {
  it('saves the derived graph beside the source once and reuses it', async () => {
    const dir = await copyModel('tiny-bert');
    const first = await HiddenStateModel.load(dir);
    const derived = join(dir, 'onnx', 'model.hidden-states.onnx');
    expect(first.graphFile).toBe(derived);
    expect(first.layers.map((l) => l.source)).toEqual([
      'norm-output',
      'norm-output',
      'norm-output',
      'norm-output',
    ]);
    await first.dispose();
    const mtime = statSync(derived).mtimeMs;
    const second = await HiddenStateModel.load(dir);
    expect(second.graphFile).toBe(derived);
    expect(statSync(derived).mtimeMs).toBe(mtime);
    expect(second.fingerprint).toBe(first.fingerprint);
    await second.dispose();
  });

  it('uses hidden_states outputs without graph surgery when the export has them', async () => {
    const dir = await copyModel('tiny-llama');
    const model = await HiddenStateModel.load(dir, { modelFileName: 'model_with_hidden_states' });
    expect(model.graphFile).toBe(join(dir, 'onnx', 'model_with_hidden_states.onnx'));
    expect(model.layers.map((l) => l.tensor)).toEqual([
      'hidden_states.0',
      'hidden_states.1',
      'hidden_states.2',
    ]);
    await model.dispose();
  });

  it('takes a manual override of the layer tensors by node or tensor name', async () => {
    const dir = await copyModel('tiny-bert');
    const auto = await HiddenStateModel.load(dir);
    const names = auto.layers.map((l) => l.tensor);
    await auto.dispose();
    const onnxModel = await readOnnxModel(join(dir, 'onnx', 'model.onnx'));
    const node = onnxModel.graph.node.find((n) => n.output[0] === names[1])!;
    const model = await HiddenStateModel.load(dir, {
      layerTensors: [names[0], node.name, names[2], names[3]],
    });
    expect(model.layers.map((l) => l.tensor)).toEqual(names);
    const [s] = await embedSentences(model, [golden.sentences[0].words], { layers: [1] });
    expect(s.skipped).toBe(false);
    await model.dispose();
    await expect(HiddenStateModel.load(dir, { layerTensors: ['a', 'b'] })).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /must name 4 tensors/,
    });
    await expect(HiddenStateModel.load(dir, { layerTensors: ['a', 'b', 'c', 'd'] })).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /has no tensor 'a'/,
    });
  });

  it('reads weights kept in an external data file, and names that file when it is missing', async () => {
    const dir = await copyModel('tiny-bert');
    await moveWeightsToExternalData(dir);
    const loaded = await HiddenStateModel.load(dir);
    const [s] = await embedSentences(loaded, [golden.sentences[0].words], { layers: [3] });
    expect(
      s.skipped || Array.from(s.words[3].first!.data.slice(0, 3)).map((v) => Number(v.toFixed(3))),
    ).toEqual(golden.sentences[0].layers['3'].first[0].slice(0, 3).map((v: number) => Number(v.toFixed(3))));
    await loaded.dispose();
    await rm(join(dir, 'onnx', 'model.onnx_data'));
    await rm(join(dir, 'onnx', 'model.hidden-states.onnx'));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      missing: ['model.onnx_data'],
      message: /model\.onnx_data, which is missing/,
    });
  });

  it('converts float16 graph outputs to float32', async () => {
    const dir = await copyModel('tiny-llama');
    const file = join(dir, 'onnx', 'model_with_hidden_states.onnx');
    const model = await readOnnxModel(file);
    // Cast every output to float16 (the producer now writes '<name>__f32', a Cast makes '<name>').
    for (const output of model.graph.output) {
      const name = output.name;
      const renamed = `${name}__f32`;
      for (const node of model.graph.node) {
        node.output = node.output.map((o) => (o === name ? renamed : o));
        node.input = node.input.map((i) => (i === name ? renamed : i));
      }
      model.graph.node.push(
        onnx.NodeProto.create({
          name: `cast_${name}`,
          opType: 'Cast',
          input: [renamed],
          output: [name],
          attribute: [
            onnx.AttributeProto.create({ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: 10 }),
          ],
        }) as never,
      );
      (output.type as { tensorType: { elemType: number } }).tensorType.elemType = 10;
    }
    await writeFile(file, encodeOnnxModel(model));
    const loaded = await HiddenStateModel.load(dir, { modelFileName: 'model_with_hidden_states' });
    const llama = JSON.parse(readFileSync(join(FIXTURES, 'tiny-llama.golden.json'), 'utf8'));
    const [s] = await embedSentences(loaded, [llama.sentences[0].words], { layers: [1], pooling: 'last' });
    if (s.skipped) throw new Error('unexpected skip');
    expect(s.words[1].last!.data).toBeInstanceOf(Float32Array);
    const expected = llama.sentences[0].layers['1'].last.flat() as number[];
    const worst = Math.max(
      ...expected.map((v, i) => Math.abs(v - s.words[1].last!.data[i]) / (1 + Math.abs(v))),
    );
    expect(worst).toBeLessThan(2e-3);
    expect(worst).toBeGreaterThan(0);
    await loaded.dispose();
  });

  it('HiddenStateModel.load(dir) throws XLING_MODEL_FOLDER for a corrupt ONNX file, naming it', async () => {
    const dir = await copyModel('tiny-bert');
    const file = join(dir, 'onnx', 'model.onnx');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, 1000));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /model\.onnx is not a valid ONNX model/,
    });
    await writeFile(file, 'not a model at all');
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /model\.onnx/,
    });
  });

  it('HiddenStateModel.load(dir) throws XLING_MODEL_FOLDER for a corrupt tokenizer.json', async () => {
    const dir = await copyModel('tiny-bert');
    await writeFile(join(dir, 'tokenizer.json'), '{"model": {"type": "WordPiece"');
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /tokenizer\.json cannot be loaded/,
    });
  });

  it('HiddenStateModel.load(dir) throws XLING_MODEL_FOLDER when the tokenizer vocabulary is larger than the embedding', async () => {
    const dir = await copyModel('tiny-bert');
    const tokenizer = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
    const vocab = tokenizer.model.vocab as Record<string, number>;
    const size = Object.keys(vocab).length;
    for (let i = 0; i < 10; i++) vocab[`extra${i}`] = size + i;
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: new RegExp(
        `tokenizer\\.json has ${size + 10} tokens, but the model's embedding has only ${size} rows`,
      ),
    });
  });

  it('HiddenStateModel.load(dir) throws XLING_MODEL_FOLDER when a token id lies beyond the embedding, however few the tokens', async () => {
    const dir = await copyModel('tiny-bert');
    const tokenizer = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
    const vocab = tokenizer.model.vocab as Record<string, number>;
    const [word] = Object.keys(vocab).filter((token) => /^[a-z]+$/.test(token));
    vocab[word] = 500;
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: expect.stringMatching(
        /embedding has only 125 rows \(token ids 0\.\.124\) while the tokenizer gives ids up to 500/,
      ),
    });
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('model.run(ids, ...) throws XLING_INVALID_ARGUMENT for an id outside the embedding instead of failing in onnxruntime', async () => {
    const dir = await copyModel('tiny-bert');
    const model = await HiddenStateModel.load(dir);
    expect(model.embeddingRows).toBe(125);
    for (const bad of [125, -1]) {
      await expect(model.run(Int32Array.from([2, bad, 3]), [3], 3, [1])).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(new RegExp(`token ids from 0 to 124 .* position 1 holds ${bad}`)),
      });
    }
    expect((await model.run(Int32Array.from([2, 124, 3]), [3], 3, [1])).get(1)).toHaveLength(3 * 32);
    await model.dispose();
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('HiddenStateModel.load(dir) throws XLING_MODEL_FOLDER when the norms do not fit the layer count', async () => {
    const dir = await copyModel('tiny-bert');
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 5 }));
    await expect(HiddenStateModel.load(dir)).rejects.toMatchObject({
      code: 'XLING_MODEL_FOLDER',
      message: /expected 11 normalisation nodes .* found 7.*layerTensors/,
    });
    expect(existsSync(join(dir, 'onnx', 'model.hidden-states.onnx'))).toBe(false);
  });
});
