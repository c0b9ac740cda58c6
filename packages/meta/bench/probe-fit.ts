// Benchmark: the same linear probe (same loss, data, initialisation, batches and number of Adam
// steps) in xling (LinearProbe's 'ort' kernel + AdamState, as LinearProbe.fit runs them) and in
// a PyTorch replica (bench/reference/probe_torch.py, /usr/bin/python3, a subprocess in the same
// run), side by side at d = 128 and d = 768 with 1 and 2 threads; prints the ratios. Both sides
// are pinned to the thread count they claim (PyTorch: scripts/bench/pinned_threads.py sets
// OMP/OPENBLAS/MKL_NUM_THREADS before import, then torch.set_num_threads; threadpoolctl's check
// is printed per run; xling: onnxruntime intra-op threads).
//   STEPS=5 node --import tsx bench/probe-fit.ts   (a quick check that it runs)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, writeSafetensors } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, runPinnedPython } from '../../../scripts/bench/pinned-python.js';
import { AdamState } from '../src/internal/adam.js';
import { classMeans } from '../src/prototypes/class-means.js';
import { createProbeKernel } from '../src/probe/probe-kernels.js';

const here = dirname(fileURLToPath(import.meta.url));
const STEPS = Number(process.env.STEPS ?? 200);
const [N, k, m, BATCH_ROWS] = [3000, 32, 17, 480]; // the demo's ~200 sentences, batches of 32 sentences

async function xlingRun(
  x: Float32Array,
  labels: Int32Array,
  w0: Float32Array,
  d: number,
  threads: number,
  { n, batchRows, steps } = { n: N, batchRows: BATCH_ROWS, steps: STEPS },
) {
  const { means, labels: present } = classMeans({ rows: n, cols: d, data: x }, labels, m);
  const rowOf = new Int32Array(m).fill(-1);
  present.forEach((c, i) => {
    rowOf[c] = i;
  });
  const kernel = createProbeKernel(
    'ort',
    {
      x: { rows: n, cols: d, data: x },
      target: labels.map((l) => rowOf[l]),
      means: { rows: present.length, cols: d, data: means },
      bias: new Float64Array(present.length), // the replica has no class priors: classPrior 'uniform'
      k,
    },
    threads,
  );
  const batch = (s: number) => Array.from({ length: batchRows }, (_, i) => (s * batchRows + i) % n);
  const run = async (count: number) => {
    const w = Float64Array.from(w0);
    const adam = new AdamState(w.length);
    let loss = Number.NaN;
    for (let s = 0; s < count; s++) {
      const out = await kernel.step(batch(s), w);
      adam.update(w, out.grad, 1e-3, 1e-6);
      loss = out.loss;
    }
    return loss;
  };
  await run(3);
  const t = performance.now();
  const loss = await run(steps);
  return { msPerStep: (performance.now() - t) / steps, loss };
}

function torchRun(input: string, threads: number) {
  const script = join(here, 'reference', 'probe_torch.py');
  const { stdout, pinned } = runPinnedPython(threads, [script, input, '--threads', String(threads)]);
  return { ...(JSON.parse(stdout) as { ms_per_step: number; final_loss: number }), pinned };
}

interface Shape {
  n: number;
  batchRows: number;
  steps: number;
}

/** A probe problem of width d: overlapping classes, the initial W, and PyTorch's input file. */
async function makeProblem(d: number, { n, batchRows, steps }: Shape, folder: string) {
  const rng = createRng(d + n);
  const labels = Int32Array.from({ length: n }, () => rng.int(m));
  // Overlapping classes (centre spread 0.15 against unit noise) keep the loss away from 0.
  const centres = Float32Array.from({ length: m * d }, () => rng.normal() * 0.15);
  const x = Float32Array.from(
    { length: n * d },
    (_, i) => centres[labels[Math.floor(i / d)] * d + (i % d)] + rng.normal(),
  );
  const w0 = Float32Array.from({ length: d * k }, () => (rng.next() - 0.5) * 0.1);
  const batches = Int32Array.from({ length: steps * batchRows }, (_, i) => i % n);
  const input = join(folder, `probe-${d}-${n}.safetensors`);
  await writeSafetensors(
    input,
    {
      x: { dtype: 'F32', shape: [n, d], data: x },
      labels: { dtype: 'I32', shape: [n], data: labels },
      w0: { dtype: 'F32', shape: [d, k], data: w0 },
      batches: { dtype: 'I32', shape: [steps, batchRows], data: batches },
    },
    { lr: '0.001', weight_decay: '1e-6', steps: String(steps) },
  );
  return { x, labels, w0, input };
}

// The default config (packages/eval experiment-config.ts): 2,000 fitting sentences per language,
// batches of 32 sentences, at most 200 epochs (early stopping; the demo's probes stopped after 45
// on average); three probes per language, task and layer (real, random-label, control task); the
// study's 50 languages with a fitting split, 2 tasks; one probe per worker, a worker per core.
const DEFAULT_RUN = {
  words: 2000 * 20,
  batchRows: 32 * 20,
  typicalEpochs: 50,
  maxEpochs: 200,
  probes: 50 * 2 * 3,
  cores: 2,
};

const folder = await mkdtemp(join(tmpdir(), 'xling-probe-bench-'));
try {
  console.log(describeMachine("'ort' probe kernel with onnxruntime intra-op threads 1 and 2"));
  console.log(
    `probe fit: n = ${N}, k = ${k}, ${m} labels, batches of ${BATCH_ROWS} rows, ${STEPS} Adam steps (lr 1e-3)`,
  );
  const demo = { n: N, batchRows: BATCH_ROWS, steps: STEPS };
  for (const d of [128, 768]) {
    const { x, labels, w0, input } = await makeProblem(d, demo, folder);
    for (const threads of [1, 2]) {
      const ours = await xlingRun(x, labels, w0, d, threads);
      const torch = torchRun(input, threads);
      console.log(
        `d = ${String(d).padStart(3)}  ${threads} thread${threads > 1 ? 's' : ' '}  xling ${ours.msPerStep.toFixed(3)} ms/step   PyTorch ${torch.ms_per_step.toFixed(3)} ms/step   ratio ${(ours.msPerStep / torch.ms_per_step).toFixed(2)}x   last-step loss ${ours.loss.toFixed(5)} vs ${torch.final_loss.toFixed(5)}`,
      );
      console.log(`  ${describeReference(torch.pinned)}`);
    }
  }
  // Projection: the default config on a BERT-base-sized model (d = 768), one thread per worker.
  const r = DEFAULT_RUN;
  const shape = { n: r.words, batchRows: r.batchRows, steps: Math.max(10, Math.round(STEPS / 2)) };
  const { x, labels, w0, input } = await makeProblem(768, shape, folder);
  const ours = await xlingRun(x, labels, w0, 768, 1, shape);
  const torch = torchRun(input, 1);
  const stepsPerEpoch = Math.ceil(r.words / r.batchRows);
  const hours = (ms: number, epochs: number) =>
    ((ms * stepsPerEpoch * epochs * r.probes) / r.cores / 3.6e6).toFixed(2);
  console.log(
    `default config at d = 768 (n = ${r.words} rows, batches of ${r.batchRows}, ${stepsPerEpoch} steps an epoch, ${r.probes} probes per layer on ${r.cores} cores): ` +
      `xling ${ours.msPerStep.toFixed(3)} ms/step, PyTorch ${torch.ms_per_step.toFixed(3)} ms/step (ratio ${(ours.msPerStep / torch.ms_per_step).toFixed(2)}x); ` +
      `probes per layer: xling ${hours(ours.msPerStep, r.typicalEpochs)} h at ${r.typicalEpochs} epochs (${hours(ours.msPerStep, r.maxEpochs)} h at the cap of ${r.maxEpochs}), ` +
      `PyTorch ${hours(torch.ms_per_step, r.typicalEpochs)} h (${hours(torch.ms_per_step, r.maxEpochs)} h)`,
  );
  console.log(`  ${describeReference(torch.pinned)}`);
} finally {
  await rm(folder, { recursive: true, force: true });
}
