// Benchmark of @xling/eval's metrics and report helpers against scikit-learn / numpy / scipy on the
// same input, in one run: macro-F1 over 200k words, a 1000-resample sentence bootstrap of accuracy
// over 5000 sentences, the average-linkage order of 60 languages, and the PCA of 60 × 17 prototypes
// in 64 dimensions; plus the time to render the HTML report (no reference).
// Both sides run on 1 thread (the reference pinned by scripts/bench/pinned_threads.py).
// Run: pnpm --filter @xling/eval bench   (the reference needs /usr/bin/python3 with sklearn and scipy)
//   BENCH_WORDS=20000 pnpm --filter @xling/eval bench   (a quick check that it runs)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, UPOS_LABELS } from '@xling/core';
import { describeMachine } from '../../../scripts/bench/machine.js';
import { describeReference, type PinnedRun, runPinnedPython } from '../../../scripts/bench/pinned-python.js';
import { bootstrapCi, clusterOrder, macroF1, projectPrototypes, renderHtmlReport } from '../src/index.js';
import { syntheticResult } from '../src/report/synthetic-result.js';

console.log(describeMachine('1 thread (the calling thread)'));
const rng = createRng(0);
const words = Number(process.env.BENCH_WORDS ?? 200_000);
const gold = Array.from({ length: words }, () => UPOS_LABELS[rng.int(UPOS_LABELS.length)]);
const predicted = gold.map((g) => (rng.next() < 0.7 ? g : UPOS_LABELS[rng.int(UPOS_LABELS.length)]));
const sentenceCount = Math.floor(words / 40);
const sentences = Array.from({ length: sentenceCount }, (_, s) => {
  const from = s * 40;
  return { gold: gold.slice(from, from + 40), predicted: predicted.slice(from, from + 40) };
});
const resamples = 1000;
const languages = 60;
const points = Array.from({ length: languages }, () => [rng.normal(), rng.normal(), rng.normal()]);
const distance = points.map((a) => points.map((b) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])));
const sets = Array.from({ length: languages }, (_, l) => ({
  language: `l${l}`,
  labels: [...UPOS_LABELS],
  prototypes: UPOS_LABELS.map(() => Array.from({ length: 64 }, () => rng.normal())),
}));
const result = syntheticResult();

function time(fn: () => unknown, repeat = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best / 1000;
}

const ours = {
  macroF1: time(() => macroF1(gold, predicted)),
  bootstrap: time(() => bootstrapCi(sentences, { resamples })),
  cluster: time(() => clusterOrder(distance)),
  pca: time(() => projectPrototypes(sets)),
};
const html = time(() => renderHtmlReport(result));

const dir = mkdtempSync(join(tmpdir(), 'xling-eval-bench-'));
const input = join(dir, 'input.json');
writeFileSync(
  input,
  JSON.stringify({
    gold,
    predicted,
    sentenceCorrect: sentences.map((s) => s.gold.filter((g, i) => g === s.predicted[i]).length),
    sentenceTotal: sentences.map((s) => s.gold.length),
    resamples,
    distance,
    prototypes: sets.flatMap((s) => s.prototypes),
  }),
);
let py: PinnedRun | Error;
try {
  py = runPinnedPython(1, [new URL('./reference.py', import.meta.url).pathname, input, '1']);
} catch (error) {
  py = error as Error;
}
rmSync(dir, { recursive: true, force: true });
const reference: Record<string, number> | undefined = py instanceof Error ? undefined : JSON.parse(py.stdout);

const rows: [string, keyof typeof ours, string][] = [
  [`macroF1, ${words / 1000}k words`, 'macroF1', 'sklearn f1_score'],
  [`bootstrapCi, ${sentenceCount} sentences x ${resamples}`, 'bootstrap', 'numpy (vectorised)'],
  [`clusterOrder, ${languages} languages`, 'cluster', 'scipy linkage+leaves_list'],
  [`projectPrototypes, ${languages * 17} x 64`, 'pca', 'sklearn PCA full'],
];
console.log(
  'task'.padEnd(40),
  'xling s'.padStart(9),
  'reference s'.padStart(12),
  'ratio'.padStart(7),
  ' reference',
);
for (const [label, key, what] of rows) {
  const ref = reference?.[key];
  console.log(
    label.padEnd(40),
    ours[key].toFixed(4).padStart(9),
    (ref === undefined ? 'n/a' : ref.toFixed(4)).padStart(12),
    (ref === undefined ? 'n/a' : (ours[key] / ref).toFixed(2)).padStart(7),
    ` ${what}`,
  );
}
console.log('renderHtmlReport, synthetic result'.padEnd(40), html.toFixed(4).padStart(9), '(no reference)');
console.log(py instanceof Error ? `reference not run: ${py.message}` : describeReference(py.pinned));
