// Benchmark: tokens/s of a BERT-base-sized encoder (12 layers, d = 768, random weights) run by
// xling (onnxruntime-node, CPU) and by PyTorch eager on the same weights and the same padded
// batches, in one run, plus peak memory. Needs Debian's /usr/bin/python3 with torch and onnx.
// The ~420 MB model is exported once to $XLING_BENCH_DIR (default: xling-bench in the OS temp folder); never commit it.
//
//   pnpm --filter @xling/extract bench            (XLING_BENCH_THREADS=2 by default)
// Both sides use XLING_BENCH_THREADS threads: onnxruntime's intra-op threads, and PyTorch under
// scripts/bench/pinned_threads.py (every BLAS / OpenMP pool pinned before torch loads, checked).
//   XLING_BENCH_SEQUENCES=4 XLING_BENCH_REPEATS=1 XLING_UD_DIR=/nonexistent pnpm --filter @xling/extract bench
//   (a quick check that it runs, once the model is exported)
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RepresentationStore, createRng } from '@xling/core';
import { readConllu } from '@xling/ud';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, python, runUnderPin } from '../../../scripts/bench/pinned-python.js';
import { HiddenStateModel, extractHiddenStates } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const script = join(repoRoot, 'scripts/models/make_bench_bert.py');
const benchDir = process.env.XLING_BENCH_DIR ?? join(tmpdir(), 'xling-bench');
const modelDir = join(benchDir, 'bert-base-random');
const threads = Number(process.env.XLING_BENCH_THREADS ?? 2);
const sequences = Number(process.env.XLING_BENCH_SEQUENCES ?? 96);
const batchTokens = 2048;
console.log(describeMachine(`onnxruntime intra-op threads ${threads}`));

if (!existsSync(join(modelDir, 'weights.pt'))) {
  console.log(`exporting the benchmark model to ${modelDir} (once) ...`);
  execFileSync(python, [script, 'export', modelDir], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// Same inputs for both sides: random token sequences of 16..80 tokens ([CLS] ... [SEP]), batched
// as extraction batches them (longest first, at most `batchTokens` padded tokens per batch).
const rng = createRng(7);
const lengths = Array.from({ length: sequences }, () => 16 + rng.int(65));
const seqs = lengths.map((n) => [2, ...Array.from({ length: n - 2 }, () => 5 + rng.int(120)), 3]);
seqs.sort((a, b) => b.length - a.length);
const batches: Array<{ ids: number[][]; lengths: number[] }> = [];
for (let at = 0; at < seqs.length; ) {
  const width = seqs[at].length;
  const members = seqs.slice(at, at + Math.max(1, Math.floor(batchTokens / width)));
  at += members.length;
  batches.push({
    ids: members.map((s) => [...s, ...new Array(width - s.length).fill(0)]),
    lengths: members.map((s) => s.length),
  });
}
const tokens = lengths.reduce((a, b) => a + b, 0);
const batchesFile = join(benchDir, 'batches.json');
writeFileSync(batchesFile, JSON.stringify(batches));

// onnxruntime-node through xling (graph surgery exposes layer 7; layers 7 and 12 are fetched).
const rssBefore = process.resourceUsage().maxRSS / 1024;
const loadStart = performance.now();
const model = await HiddenStateModel.load(modelDir, { intraOpNumThreads: threads });
const loadSeconds = (performance.now() - loadStart) / 1000;
const runBatch = (b: (typeof batches)[number]) => {
  const width = b.ids[0].length;
  return model.run(Int32Array.from(b.ids.flat()), b.lengths, width, [7, 12]);
};
const first = await runBatch(batches[0]); // warm-up
const ortProbe = Array.from(first.get(7)!.slice(0, 8));
// The machine may be shared: each side takes its best of `repeats` passes, and the passes are
// interleaved (xling, PyTorch ×repeats, xling) so that both see the same background load.
const repeats = Number(process.env.XLING_BENCH_REPEATS ?? 2);
const timeOrt = async (): Promise<number> => {
  const start = performance.now();
  for (const b of batches) await runBatch(b);
  return (performance.now() - start) / 1000;
};
let ortSeconds = await timeOrt();

// PyTorch eager on the same weights and batches (a separate process, so memory is its own).
const torchRun = runUnderPin(threads, [
  script,
  'torch',
  modelDir,
  batchesFile,
  String(threads),
  String(repeats),
]);
const torch = JSON.parse(torchRun.stdout.trim().split('\n').at(-1)!) as {
  seconds: number;
  tokensPerSecond: number;
  peakRssMiB: number;
  probe: number[];
  torch: string;
};
for (let r = 1; r < repeats; r++) ortSeconds = Math.min(ortSeconds, await timeOrt());
const ortPeak = process.resourceUsage().maxRSS / 1024;
const maxDiff = Math.max(...ortProbe.map((v, i) => Math.abs(v - torch.probe[i])));

// End-to-end extraction (tokenise + run + pool + store) on a real treebank, when present.
let extraction = '';
const udFile = join(
  process.env.XLING_UD_DIR ?? resolve(repoRoot, '../shared/data/ud'),
  'UD_Afrikaans-AfriBooms/af_afribooms-ud-dev.conllu.gz',
);
if (existsSync(udFile)) {
  const store = await RepresentationStore.open(await mkdtemp(join(tmpdir(), 'xling-bench-store-')));
  const start = performance.now();
  const report = await extractHiddenStates(model, readConllu(udFile), {
    store,
    treebank: 'UD_Afrikaans-AfriBooms',
    split: 'dev',
    layers: [7],
    batchTokens,
  });
  const seconds = (performance.now() - start) / 1000;
  extraction = `extractHiddenStates, UD_Afrikaans-AfriBooms dev (${report.sentences} sentences, ${report.tokens} tokens, layer 7 -> store): ${(report.tokens / seconds).toFixed(0)} tokens/s, ${(report.sentences / seconds).toFixed(1)} sentences/s`;
}
await model.dispose();

const ortRate = tokens / ortSeconds;
console.log(
  `BERT-base-sized encoder (12 layers, d=768, random weights), ${sequences} sequences, ${tokens} tokens, ${batches.length} batches, ${threads} threads, best of ${repeats}`,
);
console.log(
  `  xling / onnxruntime-node 1.30 : ${ortRate.toFixed(0).padStart(6)} tokens/s  (${ortSeconds.toFixed(2)} s; peak RSS ${ortPeak.toFixed(0)} MiB, ${rssBefore.toFixed(0)} MiB before load; load ${loadSeconds.toFixed(1)} s)`,
);
console.log(
  `  PyTorch ${torch.torch} eager      : ${torch.tokensPerSecond.toFixed(0).padStart(6)} tokens/s  (${torch.seconds.toFixed(2)} s; peak RSS ${torch.peakRssMiB.toFixed(0)} MiB)`,
);
console.log(
  `  ratio xling / PyTorch         : ${(ortRate / torch.tokensPerSecond).toFixed(2)}x   (goal >= 1.5x)`,
);
console.log(`  ${describeReference(torchRun.pinned)}`);
console.log(`  max |difference| of hidden_states[7] (first 8 values): ${maxDiff.toExponential(2)}`);
if (extraction) console.log(`  ${extraction}`);
