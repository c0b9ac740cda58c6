import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, float16ToFloat32, writeFileAtomic } from '@xling/core';
import { buildOnnxFromCheckpoint } from '@xling/extract';
import * as ort from 'onnxruntime-node';
import { findRepoRoot } from '../corpus/read-ud-corpus.js';
import { initBackend } from '../model/init-backend.js';
import { MiniBert } from '../model/mini-bert.js';
import { fromHfConfig } from '../model/mini-bert-config.js';
import { WordPieceTokenizer } from '../tokenizer/word-piece-tokenizer.js';

// Builds onnx/model.onnx for the model folder with @xling/extract's checkpoint builder, runs it
// with onnxruntime-node and compares every layer with this package's own (tfjs) forward pass.
const { values: args } = parseArgs({
  // `pnpm <script> -- --flag` passes the `--` through; without this, parseArgs would read every
  // flag after it as a positional and silently use the defaults.
  args: process.argv.slice(2).filter((arg, i) => !(i === 0 && arg === '--')),
  options: {
    model: { type: 'string', default: 'models/xling-mini-encoder' },
    tolerance: { type: 'string', default: '1e-4' },
    golden: { type: 'string' },
  },
});

const SENTENCES = [
  ['The', 'cat', 'sat', 'on', 'the', 'mat', '.'],
  ['Der', 'Hund', 'schläft', 'im', 'Garten', '.'],
  ['Le', 'chat', 'dort', 'sur', 'le', 'canapé', '.'],
  ['Кошка', 'спит', 'на', 'диване', '.'],
  ['猫', 'が', '寝て', 'いる', '。'],
  ['我', '喜欢', '猫', '。'],
  ['Kedi', 'uyuyor', '.'],
];

async function main(): Promise<void> {
  const folder = resolve(findRepoRoot(), args.model!);
  const tolerance = Number(args.tolerance);
  const work = await mkdtemp(join(tmpdir(), 'xling-mini-onnx-'));
  const built = await buildOnnxFromCheckpoint(folder, work);
  await cp(join(work, 'onnx'), join(folder, 'onnx'), { recursive: true });
  await rm(work, { recursive: true, force: true });
  console.log(
    `built ${built.modelPath} -> ${join(folder, 'onnx')} (${built.numLayers} layers, outputs ${built.outputNames.join(', ')})`,
  );

  await initBackend('wasm', 1);
  const config = fromHfConfig(JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')));
  const tokenizer = WordPieceTokenizer.fromTokenizerJson(
    JSON.parse(await readFile(join(folder, 'tokenizer.json'), 'utf8')),
  );
  const saved = decodeSafetensors(new Uint8Array(await readFile(join(folder, 'model.safetensors'))));
  const arrays = new Map(
    Object.entries(saved.tensors).map(([name, t]) => [
      name.replace(/^bert\./, ''),
      // An fp16 folder: the forward pass reads the weights exactly as the builder widens them.
      t.dtype === 'F16' ? float16ToFloat32(t.data as Uint16Array) : (t.data as Float32Array),
    ]),
  );
  const model = MiniBert.fromArrays(config, arrays);
  const session = await ort.InferenceSession.create(join(folder, 'onnx', 'model.onnx'));

  // One padded batch of all sentences: also checks that padding is masked identically.
  const encoded = SENTENCES.map((s) => tokenizer.encodeWords(s));
  const length = Math.max(...encoded.map((e) => e.length));
  const b = encoded.length;
  const ids = new Int32Array(b * length);
  const mask = new Float32Array(b * length);
  encoded.forEach((e, i) => {
    ids.set(e, i * length);
    mask.fill(1, i * length, i * length + e.length);
  });
  const ours = tf.tidy(() =>
    model.forward(tf.tensor2d(ids, [b, length], 'int32'), tf.tensor2d(mask, [b, length])),
  );
  const feeds: Record<string, ort.Tensor> = {
    input_ids: new ort.Tensor(
      'int64',
      BigInt64Array.from(ids, (x) => BigInt(x)),
      [b, length],
    ),
    attention_mask: new ort.Tensor(
      'int64',
      BigInt64Array.from(mask, (x) => BigInt(x)),
      [b, length],
    ),
    token_type_ids: new ort.Tensor('int64', new BigInt64Array(b * length), [b, length]),
  };
  const outputs = await session.run(feeds);
  const hiddenNames = session.outputNames.filter((n) => n.startsWith('hidden_states'));
  let worst = 0;
  const lines: string[] = [];
  hiddenNames.forEach((name, layer) => {
    const theirs = outputs[name].data as Float32Array;
    const mine = ours[layer].dataSync();
    let max = 0;
    for (let i = 0; i < b; i++) {
      for (let t = 0; t < encoded[i].length; t++) {
        for (let d = 0; d < config.hiddenSize; d++) {
          const k = (i * length + t) * config.hiddenSize + d;
          max = Math.max(max, Math.abs(theirs[k] - mine[k]));
        }
      }
    }
    worst = Math.max(worst, max);
    lines.push(`| ${name} | ${max.toExponential(2)} |`);
  });
  tf.dispose(ours);
  const torchWorst = args.golden === undefined ? undefined : await compareGolden(session, args.golden);
  await session.release();
  console.log(lines.join('\n'));
  const ok = worst <= tolerance && (torchWorst === undefined || torchWorst <= tolerance);
  console.log(
    `${ok ? 'OK' : 'MISMATCH'}: max |onnx - tfjs| over ${b} sentences (padded batch, real tokens) = ${worst.toExponential(2)}${torchWorst === undefined ? '' : `; max |onnx - PyTorch training forward| = ${torchWorst.toExponential(2)}`} (tolerance ${tolerance})`,
  );

  // Record the check in the model card.
  const cardPath = join(folder, 'README.md');
  let card = await readFile(cardPath, 'utf8').catch(() => '');
  const section = [
    '## ONNX',
    '',
    `\`onnx/model.onnx\` was built from \`model.safetensors\` by \`@xling/extract\`'s \`buildOnnxFromCheckpoint\` (outputs: every layer's hidden states) and checked with onnxruntime-node against this tool's TensorFlow.js forward pass on ${b} sentences in ${b} languages, as one padded batch: largest absolute difference per layer (real tokens):`,
    '',
    '| output | max abs diff |',
    '|---|---:|',
    ...lines,
    '',
    ...(torchWorst === undefined
      ? []
      : [
          `Against the PyTorch training forward pass (hidden states of every layer for held-out sentences, saved by \`train_mlm.py\`): largest absolute difference ${torchWorst.toExponential(2)}.`,
          '',
        ]),
    `Reproduce: \`pnpm --filter @xling/tool-mini-encoder check-onnx${torchWorst === undefined ? '' : ' -- --golden W/torch-train-log.json'}\`.`,
    '',
  ].join('\n');
  const start = card.indexOf('## ONNX');
  if (start >= 0) {
    const end = card.indexOf('\n## ', start + 1);
    card = card.slice(0, start) + section + (end >= 0 ? card.slice(end + 1) : '');
  } else {
    const limits = card.indexOf('## Limitations');
    card = limits >= 0 ? `${card.slice(0, limits)}${section}\n${card.slice(limits)}` : `${card}\n${section}`;
  }
  await writeFileAtomic(cardPath, card);
  if (!ok) process.exit(1);
}

/** Largest difference between the graph's hidden states and those `train_mlm.py` saved. */
async function compareGolden(session: ort.InferenceSession, path: string): Promise<number> {
  const { golden } = JSON.parse(await readFile(path, 'utf8')) as {
    golden: { ids: number[]; layers: number[][][] }[];
  };
  let worst = 0;
  for (const { ids, layers } of golden) {
    const shape = [1, ids.length];
    const long = (values: number[]) =>
      new ort.Tensor(
        'int64',
        BigInt64Array.from(values, (x) => BigInt(x)),
        shape,
      );
    const outputs = await session.run({
      input_ids: long(ids),
      attention_mask: long(ids.map(() => 1)),
      token_type_ids: long(ids.map(() => 0)),
    });
    layers.forEach((expected, layer) => {
      const actual = outputs[`hidden_states_${layer}`].data as Float32Array;
      expected.flat().forEach((value, k) => {
        worst = Math.max(worst, Math.abs(actual[k] - value));
      });
    });
  }
  return worst;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
