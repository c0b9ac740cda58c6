import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createSyntheticLanguages,
  inLanguageCeiling,
  MetaProtoNet,
  type SyntheticLanguagesOptions,
} from '@xling/meta';
import { describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../report/experiment-result.js';
import { resolveExperimentConfig } from './experiment-config.js';
import type { ExperimentRole } from './experiment-languages.js';
import { learnerDirs, runLayout } from './run-layout.js';
import { runStudy } from './run-study.js';
import { syntheticStudyData } from './synthetic-study.js';

// Known-answer tests through runStudy, the code `xling run` and `xling demo` execute after
// extraction. Every language is a rotation + rescaling (+ offset, + noise) of one 17-concept
// space; one language has shuffled labels. Assertions are about the answer, not the seed: the
// same checks pass for other generator settings (see the loop at the bottom).

const ROLES: Record<string, ExperimentRole[]> = {
  en: ['source', 'meta'],
  m1: ['meta'],
  m2: ['meta'],
  m3: ['meta'],
  m4: ['meta'],
  m5: ['meta'],
  v1: ['validation'],
  v2: ['validation'],
  t1: ['target'],
  t2: ['target'],
  sh: ['target'],
};

async function study(generator: SyntheticLanguagesOptions) {
  const names = Object.keys(ROLES);
  // The targets are rotated further than any training language: the map alone does not fit them,
  // an adapter fitted on a few of their sentences does.
  const options = {
    numLabels: 17,
    dimension: 32,
    conceptDimension: 16,
    specificDimension: 0,
    rotations: { t1: 1, t2: 1 },
    ...generator,
  };
  const real = createSyntheticLanguages({ ...options, languages: names });
  // Same world (seed), same language parameters: only the labels of `sh` are shuffled.
  const shuffled = createSyntheticLanguages({ ...options, languages: names, shuffleLabels: true });
  const languages = real.map((data, i) => ({
    data: data.language === 'sh' ? shuffled[i] : data,
    roles: ROLES[data.language],
  }));
  const outDir = await mkdtemp(join(tmpdir(), 'xling-known-answer-'));
  const config = resolveExperimentConfig({
    model: 'synthetic',
    outDir,
    layers: [1],
    tasks: ['upos'],
    sourceLanguage: 'en',
    meta: { episodesPerLanguage: 20, querySize: 10 },
    alignability: { permutations: 99 },
    fewShot: { shots: [20], seeds: [1, 2] },
    bootstrap: { resamples: 50 },
    threads: 1,
  });
  const runDir = join(outDir, 'run');
  const run = await runStudy(config, syntheticStudyData(languages), runDir);
  const metaModel = learnerDirs(runLayout(config), 'meta', 'upos', 1).model;
  return { result: run.result as ExperimentResult, metaModel, outDir, languages };
}

async function check(generator: SyntheticLanguagesOptions): Promise<void> {
  const { result, metaModel, outDir, languages } = await study(generator);
  try {
    // Alignability finds the rotations (class means, the default) and not the shuffled language.
    expect(result.run.prototypes).toBe('class-means');
    for (const metric of ['procrustes', 'rsa']) {
      const m = result.alignability!.find((a) => a.metric === metric)!;
      const sh = m.languages.indexOf('sh');
      m.languages.forEach((a, i) => {
        m.languages.forEach((b, j) => {
          if (i === j) return;
          const p = m.pValues![i][j]!;
          if (a === 'sh' || b === 'sh') expect(p, `${metric} ${a}-${b}`).toBeGreaterThan(0.01);
          else expect(p, `${metric} ${a}-${b}`).toBeLessThanOrEqual(0.01);
        });
      });
      const en = m.languages.indexOf('en');
      if (metric === 'rsa') expect(m.values[en][m.languages.indexOf('t1')]).toBeGreaterThan(0.9);
      else expect(m.values[en][m.languages.indexOf('t1')]).toBeLessThan(0.05);
      // Every pair of real languages is more alignable than any pair with the shuffled one.
      const real: number[] = [];
      const withShuffled: number[] = [];
      m.languages.forEach((_, i) => {
        m.languages.forEach((_, j) => {
          if (i !== j) (i === sh || j === sh ? withShuffled : real).push(m.values[i][j]!);
        });
      });
      const sign = metric === 'rsa' ? 1 : -1;
      expect(Math.min(...real.map((v) => sign * v))).toBeGreaterThan(
        Math.max(...withShuffled.map((v) => sign * v)),
      );
    }
    // No probe keeps untrained weights; real probes converge, beat the baselines and are selective.
    for (const p of result.probes!) {
      expect(p.bestEpoch, p.language).toBeGreaterThanOrEqual(1);
      expect(p.converged, p.language).toBe(true);
      if (p.language === 'sh') {
        // Nothing beyond word identity is learnt: at or below zero (the control task is
        // learnable here, since vectors identify concepts and concepts their word types).
        expect(p.selectivity!, 'shuffled selectivity').toBeLessThan(0.1);
      } else {
        expect(p.accuracy!, p.language).toBeGreaterThan(0.95);
        // Isotropic Gaussian classes make the nearest class mean Bayes-optimal here: the probe can
        // match it, not beat it.
        expect(p.accuracy!).toBeGreaterThanOrEqual(p.nearestClassMean! - 0.02);
        expect(p.selectivity!, p.language).toBeGreaterThan(0.4);
        expect(p.flags.filter((f) => !f.startsWith('below the nearest class mean'))).toEqual([]);
      }
    }
    // The zero-shot map brings meta-trained languages to 95 % of their in-language ceiling.
    const meta = await MetaProtoNet.load(metaModel);
    for (const { data, roles } of languages.filter((l) => l.roles.includes('meta'))) {
      const ceiling = await inLanguageCeiling(data.train, data.test, { dev: data.dev });
      expect(meta.score(data.test), data.language).toBeGreaterThanOrEqual(0.95 * ceiling.accuracy);
      expect(roles).toContain('meta');
    }
    expect(result.learningCurves!.every((c) => c.converged)).toBe(true);
    // 20-sentence few-shot adapters at default settings reach 0.9 (or 95 % of the language's own
    // probe where noise puts even that below 0.9) and beat the identity adapter.
    for (const target of ['t1', 't2']) {
      const curve = (method: string) =>
        result.fewShot!.find((c) => c.language === target && c.method === method)!.points[0].mean;
      const ceiling = result.probes!.find((p) => p.language === target)!.accuracy!;
      expect(curve('few-shot-adapter'), target).toBeGreaterThanOrEqual(Math.min(0.9, 0.95 * ceiling));
      expect(curve('few-shot-adapter')).toBeGreaterThan(curve('identity-adapter'));
    }
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

describe('runStudy on synthetic languages with a known answer', () => {
  it('runStudy(config, data) finds the rotations, not the shuffled language; probes, map and adapters reach their known answers', async () => {
    await check({ seed: 11, rotation: 0.3 });
  });

  it('runStudy(config, data) gives the same answers for another generator setting', async () => {
    await check({ seed: 23, rotation: 0.2, noise: 0.4, maxScale: 1.6, dimension: 24, conceptDimension: 12 });
  });
});
