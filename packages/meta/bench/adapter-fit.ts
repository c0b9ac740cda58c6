// Benchmark: the few-shot adapter fit of the demo's few-shot curves — LanguageAdapterProtoNet.adapt
// on a support of N = 20 sentences (phi frozen: one phi pass, then 50 epochs of Adam on the
// k × k adapter in batches of 8 sentences, the whole-support loss after each epoch, the best epoch
// kept) — in xling and in a PyTorch replica (bench/reference/adapter_torch.py, /usr/bin/python3,
// a subprocess in the same run) on the same phi, support, prototypes and batch order; prints the
// ratio. PyTorch is pinned to one thread (scripts/bench/pinned_threads.py, checked with
// threadpoolctl and printed). xling runs both of its paths on one thread: `adapt` (float64
// JavaScript, compared with PyTorch float64: same kept epoch and loss) and `adaptAsync` (the
// learner's 'ort' engine: float32 onnxruntime, compared with PyTorch float32).
//   REPEATS=2 node --import tsx bench/adapter-fit.ts   (a quick check that it runs)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, writeSafetensors } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, runPinnedPython } from '../../../scripts/bench/pinned-python.js';
import { firstSentences } from '../src/__fixtures__/synthetic-world.js';
import { LanguageAdapterProtoNet } from '../src/learners/language-adapter-proto-net.js';
import { LinearProbe } from '../src/probe/linear-probe.js';
import { createSyntheticLanguages } from '../src/synthetic/create-synthetic-languages.js';

const here = dirname(fileURLToPath(import.meta.url));
const repeats = Number(process.env.REPEATS ?? 20);
const [d, labels, shots, epochs, batchSize, prior, lr, wd, seed] = [256, 17, 20, 50, 8, 30, 3e-3, 1e-6, 1];

/** Exposes the prototypes the adapter is fitted against (protected in the library). */
class BenchNet extends LanguageAdapterProtoNet {
  prototypes() {
    return this.queryPrototypes();
  }
}

/** The rows of each batch adapt() takes, in order: the same seeded shuffles per epoch. */
function batchRows(offsets: Int32Array | number[]): { rows: number[]; offsets: number[] } {
  const sentences = offsets.length - 1;
  const order = Array.from({ length: sentences }, (_, i) => i);
  const rng = createRng(seed);
  const rows: number[] = [];
  const starts = [0];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const shuffled = rng.fork(`epoch-${epoch}`).shuffle(order);
    for (let b = 0; b * batchSize < sentences; b++) {
      for (const s of shuffled.slice(b * batchSize, (b + 1) * batchSize))
        for (let r = offsets[s]; r < offsets[s + 1]; r++) rows.push(r);
      starts.push(rows.length);
    }
  }
  return { rows, offsets: starts };
}

async function setUp() {
  const all = createSyntheticLanguages({
    languages: ['src', 'a', 'b', 'c', 'v', 'tgt'],
    numLabels: labels,
    dimension: d,
    conceptDimension: 16,
    specificDimension: 16,
    sentenceLength: 20,
    sentences: { train: 40, dev: 20, test: 30 },
    rotations: { tgt: 0.6 },
    seed,
  });
  const by = Object.fromEntries(all.map((l) => [l.language, l]));
  const source = await new LinearProbe({ k: 32 }).fit(by.src.train, by.src.dev);
  const net = await new BenchNet({ hiddenSize: 256, epochs: 1, episodesPerLanguage: 2, querySize: 5 }).fit({
    source: source.prototypeSet,
    languages: { src: by.src.train, a: by.a.train, b: by.b.train, c: by.c.train },
    validation: { v: by.v.dev },
  });
  return { net, support: firstSentences(by.tgt.train, shots) };
}

const folder = await mkdtemp(join(tmpdir(), 'xling-adapter-bench-'));
try {
  console.log(
    describeMachine(
      'adapter fit: adapt (float64 JavaScript) and adaptAsync (float32 onnxruntime), one thread',
    ),
  );
  const { net, support } = await setUp();
  const options = { seed, epochs, batchSize, prior, learningRate: lr, weightDecay: wd };
  net.adapt(support, options); // warm-up
  let fitted = net.adapt(support, options);
  const t = performance.now();
  for (let r = 0; r < repeats; r++) fitted = net.adapt(support, options);
  const exact = (performance.now() - t) / repeats;
  let fast = await net.adaptAsync(support, options); // warm-up (session creation)
  const t32 = performance.now();
  for (let r = 0; r < repeats; r++) fast = await net.adaptAsync(support, options);
  const ours = {
    float64: { ms: exact, fit: fitted },
    float32: { ms: (performance.now() - t32) / repeats, fit: fast },
  };

  const column = new Map(Array.from(net.labels, (c, i) => [c, i] as const));
  const target = support.labels.map((y) => column.get(y) ?? -1);
  const tokens = target.filter((t) => t >= 0).length;
  const p = net.prototypes();
  const phi = net.phi;
  const batches = batchRows(support.sentenceOffsets ?? []);
  const input = join(folder, 'adapter.safetensors');
  await writeSafetensors(
    input,
    {
      x: { dtype: 'F64', shape: [support.x.rows, d], data: Float64Array.from(support.x.data) },
      w1: { dtype: 'F64', shape: [d, phi.h], data: phi.w1 },
      b1: { dtype: 'F64', shape: [phi.h], data: phi.b1 },
      w2: { dtype: 'F64', shape: [phi.h, phi.k], data: phi.w2 },
      b2: { dtype: 'F64', shape: [phi.k], data: phi.b2 },
      prototypes: { dtype: 'F64', shape: [p.rows, p.cols], data: p.data },
      target: { dtype: 'I32', shape: [target.length], data: target },
      batch_rows: { dtype: 'I32', shape: [batches.rows.length], data: Int32Array.from(batches.rows) },
      batch_offsets: {
        dtype: 'I32',
        shape: [batches.offsets.length],
        data: Int32Array.from(batches.offsets),
      },
    },
    { lr: String(lr), weight_decay: String(wd), epochs: String(epochs), strength: String(prior / tokens) },
  );
  const steps = batches.offsets.length - 1;
  console.log(
    `support: ${shots} sentences, ${support.x.rows} words, d = ${d} -> phi -> k = ${phi.k}, ${p.rows} prototypes; ` +
      `${epochs} epochs, ${steps} Adam steps (batches of ${batchSize} sentences), ${repeats} timed fits`,
  );
  for (const dtype of ['float64', 'float32'] as const) {
    const { ms, fit } = ours[dtype];
    const path = dtype === 'float64' ? 'adapt (float64 JS)' : 'adaptAsync (float32 ort)';
    const script = join(here, 'reference', 'adapter_torch.py');
    const run = runPinnedPython(1, [script, input, '--dtype', dtype, '--repeats', String(repeats)]);
    const torch = JSON.parse(run.stdout) as { ms_per_fit: number; loss: number; best_epoch: number };
    console.log(
      `${dtype}: xling ${path} ${ms.toFixed(2)} ms/fit   PyTorch ${torch.ms_per_fit.toFixed(2)} ms/fit   ratio ${(ms / torch.ms_per_fit).toFixed(2)}x   ` +
        `kept loss ${fit.loss.toPrecision(10)} (epoch ${fit.bestEpoch}) vs ${torch.loss.toPrecision(10)} (epoch ${torch.best_epoch})`,
    );
    console.log(`  ${describeReference(run.pinned)}`);
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
