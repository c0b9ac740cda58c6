// The experiment behind `alignability.prototypes` (docs/method.md, section 4): synthetic
// languages that are rotations + rescalings (+ offset, + noise) of one 17-concept space, and one
// with shuffled labels, run through runStudy with class-mean prototypes and with per-language probe
// prototypes. Prints, per choice: the mean Procrustes disparity / RSA between real languages, the
// share of real pairs with p <= 0.01, the shuffled language's mean disparity / RSA and p-values,
// and the random-label control. Usage: node --import tsx bench/prototype-choice.ts [seed ...]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSyntheticLanguages } from '@xling/meta';
import type { AlignabilityMatrix } from '../src/report/experiment-result.js';
import { resolveExperimentConfig } from '../src/experiment/experiment-config.js';
import type { ExperimentRole } from '../src/experiment/experiment-languages.js';
import { runStudy } from '../src/experiment/run-study.js';
import { syntheticStudyData } from '../src/experiment/synthetic-study.js';

const names = ['en', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'sh'];
const seeds = process.argv.slice(2).map(Number);

function summary(m: AlignabilityMatrix) {
  const sh = m.languages.indexOf('sh');
  const real: number[] = [];
  const realP: number[] = [];
  const shuffled: number[] = [];
  const shuffledP: number[] = [];
  const control: number[] = [];
  m.languages.forEach((_, i) => {
    m.languages.forEach((_, j) => {
      if (i >= j) return;
      const target = i === sh || j === sh ? shuffled : real;
      target.push(m.values[i][j]!);
      (i === sh || j === sh ? shuffledP : realP).push(m.pValues![i][j]!);
      if (i !== sh && j !== sh) control.push(m.control![i][j]!);
    });
  });
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return `real ${mean(real).toFixed(3)} (p<=0.01: ${realP.filter((p) => p <= 0.01).length}/${realP.length})  shuffled ${mean(shuffled).toFixed(3)} (median p ${shuffledP.sort()[Math.floor(shuffledP.length / 2)].toFixed(2)})  random-label control ${mean(control).toFixed(3)}`;
}

for (const seed of seeds.length > 0 ? seeds : [11, 23]) {
  const options = {
    numLabels: 17,
    dimension: 32,
    conceptDimension: 16,
    specificDimension: 0,
    rotation: 0.3,
    seed,
  };
  const real = createSyntheticLanguages({ ...options, languages: names });
  const shuffled = createSyntheticLanguages({ ...options, languages: names, shuffleLabels: true });
  const roles = (l: string): ExperimentRole[] => (l === 'en' ? ['source', 'meta'] : ['meta']);
  const data = syntheticStudyData(
    real.map((d, i) => ({ data: d.language === 'sh' ? shuffled[i] : d, roles: roles(d.language) })),
  );
  for (const prototypes of ['class-means', 'probe'] as const) {
    const outDir = await mkdtemp(join(tmpdir(), 'xling-prototypes-'));
    try {
      const config = resolveExperimentConfig({
        model: 'synthetic',
        outDir,
        layers: [1],
        tasks: ['upos'],
        alignability: { prototypes, permutations: 199, metrics: ['procrustes', 'rsa'] },
        threads: 1,
      });
      const run = await runStudy(config, data, join(outDir, 'run'), { until: 'alignability' });
      for (const m of run.result!.alignability!)
        console.log(`seed ${seed}  ${prototypes.padEnd(11)}  ${m.metric.padEnd(10)}  ${summary(m)}`);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }
}
