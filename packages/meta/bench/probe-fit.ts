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
const steps = Number(process.env.STEPS ?? 200);
const [n, k, m, batchRows] = [3000, 32, 17, 480]; // the demo's ~200 sentences, batches of 32 sentences

async function xlingRun(x: Float32Array, labels: Int32Array, w0: Float32Array, d: number, threads: number) {
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

const folder = await mkdtemp(join(tmpdir(), 'xling-probe-bench-'));
try {
  console.log(describeMachine("'ort' probe kernel with onnxruntime intra-op threads 1 and 2"));
  console.log(
    `probe fit: n = ${n}, k = ${k}, ${m} labels, batches of ${batchRows} rows, ${steps} Adam steps (lr 1e-3)`,
  );
  for (const d of [128, 768]) {
    const rng = createRng(d);
    const labels = Int32Array.from({ length: n }, () => rng.int(m));
    // Overlapping classes (centre spread 0.15 against unit noise) keep the loss away from 0.
    const centres = Float32Array.from({ length: m * d }, () => rng.normal() * 0.15);
    const x = Float32Array.from(
      { length: n * d },
      (_, i) => centres[labels[Math.floor(i / d)] * d + (i % d)] + rng.normal(),
    );
    const w0 = Float32Array.from({ length: d * k }, () => (rng.next() - 0.5) * 0.1);
    const batches = Int32Array.from({ length: steps * batchRows }, (_, i) => i % n);
    const input = join(folder, `probe-${d}.safetensors`);
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
    for (const threads of [1, 2]) {
      const ours = await xlingRun(x, labels, w0, d, threads);
      const torch = torchRun(input, threads);
      console.log(
        `d = ${String(d).padStart(3)}  ${threads} thread${threads > 1 ? 's' : ' '}  xling ${ours.msPerStep.toFixed(3)} ms/step   PyTorch ${torch.ms_per_step.toFixed(3)} ms/step   ratio ${(ours.msPerStep / torch.ms_per_step).toFixed(2)}x   last-step loss ${ours.loss.toFixed(5)} vs ${torch.final_loss.toFixed(5)}`,
      );
      console.log(`  ${describeReference(torch.pinned)}`);
    }
  }
} finally {
  await rm(folder, { recursive: true, force: true });
}
