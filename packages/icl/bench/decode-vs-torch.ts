// Benchmark: decoding with a key/value cache as structured prompting does it — one pass over a
// prefix (the demonstrations), then one single-token pass per further token — by xling
// (GenerationModel on onnxruntime-node, CPU) and by a PyTorch eager loop with a cache on the same
// weights and the same tokens, in one run, with the thread counts pinned on both sides. The model
// is a mid-size random LLaMA (8 layers, d = 512, GQA, vocabulary 8192) made by
// scripts/models/make_bench_llama.py and built by xling once into $XLING_BENCH_DIR (default:
// xling-bench in the OS temp folder); never commit it. Needs Debian's /usr/bin/python3 with torch.
//
// PyTorch runs under scripts/bench/pinned_threads.py: every BLAS / OpenMP pool pinned to
// XLING_BENCH_THREADS before torch loads, checked with threadpoolctl and printed.
//
//   pnpm --filter @xling/icl bench:torch      (XLING_BENCH_THREADS=1, prefix 512, 64 steps)
//   XLING_BENCH_PREFIX=16 XLING_BENCH_STEPS=2 pnpm --filter @xling/icl bench:torch   (a quick check)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRng } from '@xling/core';
import { GenerationModel, buildOnnxFromCheckpoint } from '@xling/extract';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, python, runUnderPin } from '../../../scripts/bench/pinned-python.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const script = join(repoRoot, 'scripts/models/make_bench_llama.py');
const benchDir = process.env.XLING_BENCH_DIR ?? join(tmpdir(), 'xling-bench');
const checkpoint = join(benchDir, 'llama-512-checkpoint');
const modelDir = join(benchDir, 'llama-512');
const threads = Number(process.env.XLING_BENCH_THREADS ?? 1);
const prefixLength = Number(process.env.XLING_BENCH_PREFIX ?? 512);
const stepCount = Number(process.env.XLING_BENCH_STEPS ?? 64);
const repeats = 3;
console.log(describeMachine(`onnxruntime intra-op threads ${threads}`));

if (!existsSync(join(modelDir, 'onnx', 'decoder_model_merged.onnx'))) {
  console.log(`making the benchmark decoder in ${benchDir} (once) ...`);
  execFileSync(python, [script, 'export', checkpoint], { stdio: ['ignore', 'ignore', 'inherit'] });
  await buildOnnxFromCheckpoint(checkpoint, modelDir, { generation: 'always' });
}

// The same tokens on both sides (ids 3.. are plain words of the benchmark tokenizer).
const rng = createRng(11);
const prefix = [1, ...Array.from({ length: prefixLength - 1 }, () => 3 + rng.int(8189))];
const steps = Array.from({ length: stepCount }, () => 3 + rng.int(8189));
const tokensPath = join(benchDir, 'decode-tokens.json');
writeFileSync(tokensPath, JSON.stringify({ prefix, steps }));

/** Best-of-`repeats` seconds of the prefix pass and of the single-token passes, and the last logits. */
async function runXling(): Promise<{ prefixSeconds: number; stepsSeconds: number; lastLogits: number[] }> {
  const model = await GenerationModel.load(modelDir, { intraOpNumThreads: threads });
  try {
    let best = { prefixSeconds: Number.POSITIVE_INFINITY, stepsSeconds: Number.POSITIVE_INFINITY };
    let last: ArrayLike<number> = [];
    for (let r = 0; r <= repeats; r++) {
      const start = performance.now();
      let out = await model.forward({ inputIds: prefix });
      const mid = performance.now();
      for (const token of steps) out = await model.forward({ inputIds: [token], past: out.present });
      const end = performance.now();
      last = out.logits.subarray(out.logits.length - out.vocabSize, out.logits.length - out.vocabSize + 16);
      // Round 0 warms the session up and is not counted.
      if (r > 0)
        best = {
          prefixSeconds: Math.min(best.prefixSeconds, (mid - start) / 1000),
          stepsSeconds: Math.min(best.stepsSeconds, (end - mid) / 1000),
        };
    }
    return { ...best, lastLogits: Array.from(last) };
  } finally {
    await model.dispose();
  }
}

const xling = await runXling();
const torchRun = runUnderPin(
  threads,
  [script, 'torch', checkpoint, tokensPath, String(threads), String(repeats)],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const torch = JSON.parse(torchRun.stdout);
const difference = Math.max(...xling.lastLogits.map((v, i) => Math.abs(v - torch.lastLogits[i])));

const row = (name: string, prefixSeconds: number, stepsSeconds: number) =>
  `${name.padEnd(22)} ${(prefixSeconds * 1000).toFixed(1).padStart(10)} ${((stepsSeconds * 1000) / stepCount).toFixed(2).padStart(12)} ${(stepCount / stepsSeconds).toFixed(1).padStart(12)}`;
console.log(
  `LLaMA d=512, 8 layers, GQA 8/4, vocab 8192; prefix ${prefixLength} tokens, then ${stepCount} single-token steps; ${threads} thread(s)`,
);
console.log(describeReference(torchRun.pinned));
console.log(
  `${'side'.padEnd(22)} ${'prefix ms'.padStart(10)} ${'ms/step'.padStart(12)} ${'steps/s'.padStart(12)}`,
);
console.log(row('xling (onnxruntime)', xling.prefixSeconds, xling.stepsSeconds));
console.log(row('PyTorch eager + cache', torch.prefixSeconds, torch.stepsSeconds));
console.log(
  `ratio xling / PyTorch: prefix ${(xling.prefixSeconds / torch.prefixSeconds).toFixed(2)}x, ` +
    `steps ${(xling.stepsSeconds / torch.stepsSeconds).toFixed(2)}x (below 1 = xling faster); ` +
    `max |logit difference| of the last step ${difference.toExponential(1)}`,
);
if (!(difference < 1e-3)) {
  console.error('the two sides disagree: the comparison is void');
  process.exitCode = 1;
}
