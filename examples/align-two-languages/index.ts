// Alignability of two concept spaces with @xling/align: Procrustes disparity, RSA and linear
// CKA, each with a permutation p-value and a random-label control.
//
// The concept spaces are SYNTHETIC (no model, no treebank): 17 "UPOS prototypes" for a source
// language, a second language whose prototypes are the same geometry rotated, rescaled and
// perturbed by noise (alignable by construction), and a third with unrelated random prototypes
// (not alignable). It shows how to read the numbers; examples/alignability does the same on
// real representations.
import { pathToFileURL } from 'node:url';
import {
  type PairStatistic,
  linearCka,
  permutationTest,
  procrustesDisparity,
  randomLabelControl,
  rsa,
} from '@xling/align';
import { type Rng, UPOS_LABELS, createRng } from '@xling/core';

/** Settings of {@link main}. */
export interface AlignTwoLanguagesOptions {
  /** Dimensions of the synthetic prototypes. @defaultValue 32 */
  dimensions?: number;
  /** Noise added to the rotated copy, relative to the prototypes' spread. @defaultValue 0.5 */
  noise?: number;
  /** Permutations of each p-value. @defaultValue 999 */
  permutations?: number;
  /** Random relabellings of each control. @defaultValue 200 */
  repeats?: number;
  /** Seed of the synthetic data and of every test. @defaultValue 1 */
  seed?: number;
  /** Where the table goes. @defaultValue console.log */
  log?: (line: string) => void;
}

/** One measured pair and metric. */
export interface AlignmentRow {
  pair: string;
  metric: 'procrustes' | 'rsa' | 'linearCka';
  /** The statistic on the true concept correspondence. */
  observed: number;
  /** Permutation p-value (alternative 'less' for the disparity, 'greater' for the similarities). */
  pValue: number;
  /** The statistic under random relabellings: mean and standard deviation. */
  controlMean: number;
  controlStd: number;
  /** (observed - controlMean) / controlStd. */
  zScore: number;
}

function gaussian(rows: number, cols: number, rng: Rng): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

/** A random rotation as a product of Givens rotations, applied to the rows of `x`. */
function rotate(x: number[][], rng: Rng): number[][] {
  const y = x.map((row) => row.slice());
  const d = y[0]!.length;
  for (let step = 0; step < 4 * d; step++) {
    const i = rng.int(d);
    const j = (i + 1 + rng.int(d - 1)) % d;
    const angle = 2 * Math.PI * rng.next();
    const [c, s] = [Math.cos(angle), Math.sin(angle)];
    for (const row of y) [row[i], row[j]] = [c * row[i]! - s * row[j]!, s * row[i]! + c * row[j]!];
  }
  return y;
}

const METRICS: Array<{ metric: AlignmentRow['metric']; statistic: PairStatistic; lowerIsBetter: boolean }> = [
  { metric: 'procrustes', statistic: (x, y) => procrustesDisparity(x, y), lowerIsBetter: true },
  { metric: 'rsa', statistic: (x, y) => rsa(x, y), lowerIsBetter: false },
  { metric: 'linearCka', statistic: (x, y) => linearCka(x, y), lowerIsBetter: false },
];

/** Measures the two pairs and prints one table; returns its rows. */
export function main(options: AlignTwoLanguagesOptions = {}): AlignmentRow[] {
  const {
    dimensions = 32,
    noise = 0.5,
    permutations = 999,
    repeats = 200,
    seed = 1,
    log = console.log,
  } = options;
  const rng = createRng(seed);
  const source = gaussian(UPOS_LABELS.length, dimensions, rng.fork('source'));
  const perturbation = gaussian(UPOS_LABELS.length, dimensions, rng.fork('noise'));
  const related = rotate(source, rng.fork('rotation')).map((row, i) =>
    row.map((v, j) => 1.7 * v + noise * perturbation[i]![j]!),
  );
  const unrelated = gaussian(UPOS_LABELS.length, dimensions, rng.fork('unrelated'));

  const rows: AlignmentRow[] = [];
  for (const [pair, target] of [
    ['source ~ rotated copy', related],
    ['source ~ unrelated', unrelated],
  ] as const) {
    for (const { metric, statistic, lowerIsBetter } of METRICS) {
      const test = permutationTest(source, target, statistic, {
        permutations,
        alternative: lowerIsBetter ? 'less' : 'greater',
        seed,
      });
      const control = randomLabelControl(source, target, statistic, { repeats, seed });
      rows.push({
        pair,
        metric,
        observed: test.statistic,
        pValue: test.pValue,
        controlMean: control.controlMean,
        controlStd: control.controlStd,
        zScore: control.zScore,
      });
    }
  }

  log(
    `SYNTHETIC concept spaces: ${UPOS_LABELS.length} UPOS prototypes in ${dimensions} dimensions; the copy is rotated, scaled by 1.7 and perturbed by noise ${noise}.`,
  );
  log('Procrustes: disparity (lower = more alignable); RSA and linear CKA: similarity (higher = more).');
  log('');
  const header = ['pair', 'metric', 'observed', `p (${permutations} perm.)`, 'random-label control', 'z'];
  const cells = rows.map((r) => [
    r.pair,
    r.metric,
    r.observed.toFixed(3),
    r.pValue.toFixed(3),
    `${r.controlMean.toFixed(3)} ± ${r.controlStd.toFixed(3)}`,
    r.zScore.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  for (const line of [header, widths.map((w) => '-'.repeat(w)), ...cells]) {
    log(line.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
