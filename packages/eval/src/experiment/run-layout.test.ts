import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { createSyntheticLanguages } from '@xling/meta';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ExperimentConfig, resolveExperimentConfig } from './experiment-config.js';
import type { ExperimentRole } from './experiment-languages.js';
import { CACHED_STAGES, STAGE_INPUTS, UNKEYED_FIELDS, runLayout } from './run-layout.js';
import { runStudy } from './run-study.js';
import { syntheticStudyData } from './synthetic-study.js';

const ROLES: Record<string, ExperimentRole[]> = {
  en: ['source', 'meta'],
  m1: ['meta'],
  v1: ['validation'],
  t1: ['target'],
};

const DATA = syntheticStudyData(
  createSyntheticLanguages({
    languages: Object.keys(ROLES),
    numLabels: 8,
    dimension: 12,
    conceptDimension: 6,
    specificDimension: 0,
    sentences: { train: 30, dev: 10, test: 15 },
  }).map((data) => ({ data, roles: ROLES[data.language] })),
);

let outDir = '';
beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'xling-stages-'));
});
afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const BASE = {
  model: 'synthetic',
  layers: [1],
  tasks: ['upos'],
  probe: { epochs: 5 },
  meta: { epochs: 2, episodesPerLanguage: 4, querySize: 5, minCount: 3 },
  alignability: { metrics: ['procrustes', 'rsa'], permutations: 9 },
  fewShot: { shots: [3], seeds: [1] },
  bootstrap: { resamples: 10 },
  threads: 1,
};

/** The base config with some sections' members changed. */
function config(changes: Record<string, Record<string, unknown> | string> = {}): ExperimentConfig {
  const merged: Record<string, unknown> = { ...BASE, outDir };
  for (const [key, value] of Object.entries(changes))
    merged[key] = typeof value === 'string' ? value : { ...(merged[key] as object), ...value };
  return resolveExperimentConfig(merged);
}

/** Runs the study and returns its stage log: `<stage> <key>: reused | computed` per stage. */
async function run(cfg: ExperimentConfig) {
  const events: ProgressEvent[] = [];
  const result = await runStudy(cfg, DATA, runLayout(cfg).runDir, { onProgress: (e) => events.push(e) });
  const log = events.filter((e) => e.task === 'stage' && e.status === 'end').map((e) => e.label);
  return { ...result, log };
}

/** Every file under `dir` with its bytes and modification time. */
async function files(dir: string): Promise<Record<string, { bytes: Buffer; mtimeMs: number }>> {
  const out: Record<string, { bytes: Buffer; mtimeMs: number }> = {};
  for (const name of await readdir(dir, { recursive: true })) {
    const info = await stat(join(dir, name));
    if (info.isFile()) out[name] = { bytes: await readFile(join(dir, name)), mtimeMs: info.mtimeMs };
  }
  return out;
}

describe('runLayout(config)', () => {
  it('runLayout(config) keys each stage by its own fields: alignability settings leave the probe and meta keys', () => {
    const base = runLayout(config());
    const metrics = runLayout(config({ alignability: { metrics: ['linearCka'] } }));
    expect(metrics.keys.probes).toBe(base.keys.probes);
    expect(metrics.keys.meta).toBe(base.keys.meta);
    expect(metrics.keys.alignability).not.toBe(base.keys.alignability);
    expect(metrics.runDir).not.toBe(base.runDir);
    expect(runLayout(config({ title: 'another title' }))).toEqual(base);
    const probe = runLayout(config({ probe: { learningRate: 0.01 } }));
    for (const stage of CACHED_STAGES) expect(probe.keys[stage], stage).not.toBe(base.keys[stage]);
    expect(base.dirs.probes).toBe(join(outDir, 'stages', 'probes', base.keys.probes));
    expect(base.keys.probes).toMatch(/^[0-9a-f]{12}$/);
  });

  it('every config key feeds some stage key or is declared unkeyed', () => {
    const keyed = new Set(Object.values(STAGE_INPUTS).flatMap((s) => s.fields.map((f) => f.split('.')[0])));
    const unkeyed = new Set<string>(UNKEYED_FIELDS);
    const all = { ...config(), modelName: 'm', udDir: 'ud', pooling: 'mean', metaLanguages: ['en'] };
    for (const key of Object.keys(all))
      expect(keyed.has(key) || unkeyed.has(key), `config key '${key}' is in no stage`).toBe(true);
  });
});

describe('runStudy(config, data, runDir) stage caches', () => {
  it('a changed alignability.metrics re-runs only alignability and the report; the probe files stay byte-identical', async () => {
    const first = await run(config());
    const layout = runLayout(config());
    expect(first.log).toEqual(CACHED_STAGES.map((s) => `${s} ${layout.keys[s]}: computed`));
    const probes = await files(first.stageDirs.probes);
    expect(Object.keys(probes)).toContain(join('upos-L1', 'synthetic-en', 'config.json'));
    const meta = await files(first.stageDirs.meta);

    const changed = config({ alignability: { metrics: ['linearCka'] } });
    const second = await run(changed);
    expect(second.stageDirs.probes).toBe(first.stageDirs.probes);
    expect(second.log).toEqual([
      `probes ${layout.keys.probes}: reused`,
      `alignability ${runLayout(changed).keys.alignability}: computed`,
      `meta ${layout.keys.meta}: reused`,
      `zero-shot ${layout.keys['zero-shot']}: reused`,
      `few-shot ${layout.keys['few-shot']}: reused`,
    ]);
    expect(await files(first.stageDirs.probes)).toEqual(probes);
    expect(await files(first.stageDirs.meta)).toEqual(meta);
    expect(second.result!.alignability!.map((a) => a.metric)).toEqual(['linear-cka']);
    expect(second.result!.zeroShot).toEqual(first.result!.zeroShot);
    expect(second.result!.probes).toEqual(first.result!.probes);
    const stages = JSON.parse(await readFile(join(second.runDir, 'stages.json'), 'utf8'));
    expect(join(second.runDir, stages.probes.dir)).toBe(first.stageDirs.probes);
  });

  it('a changed title only rewrites the report; a changed probe setting re-fits the probes and everything after', async () => {
    const first = await run(config());
    const titled = await run(config({ title: 'renamed' }));
    expect(titled.log.every((l) => l?.endsWith(': reused'))).toBe(true);
    expect(titled.runDir).toBe(first.runDir);
    expect(JSON.parse(await readFile(join(first.runDir, 'report.json'), 'utf8')).run.title).toBe('renamed');

    const refit = await run(config({ probe: { epochs: 4 } }));
    expect(refit.log.every((l) => l?.endsWith(': computed'))).toBe(true);
    expect(refit.stageDirs.probes).not.toBe(first.stageDirs.probes);
    expect(existsSync(join(refit.stageDirs.probes, 'upos-L1', 'synthetic-en', 'config.json'))).toBe(true);
  });
});
