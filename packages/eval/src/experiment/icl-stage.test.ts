import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GenerationModel } from '@xling/extract';
import { resolveUdDir, scanUdDir } from '@xling/ud';
import { fileTree } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateExperimentResult } from '../report/validate-experiment-result.js';
import { resolveExperimentConfig } from './experiment-config.js';
import { resolveExperimentLanguages } from './experiment-languages.js';
import { iclStage, iclStageShard } from './icl-stage.js';
import { buildFixtureDecoder, tinyIclConfig } from './icl-test-helpers.js';

let dir = '';
let decoder = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-icl-stage-'));
  decoder = await buildFixtureDecoder(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function stageInput(out = 'out') {
  const config = resolveExperimentConfig(tinyIclConfig(join(dir, out), decoder));
  const plan = await resolveExperimentLanguages(config, await scanUdDir(resolveUdDir()));
  return { config, languages: plan.languages, threads: 1, batchSentences: 5 };
}

/** Runs the stage on the tiny config (runs saved in batches of 5 sentences), counting the decoder's forward passes. */
async function stage(out = 'out') {
  const input = await stageInput(out);
  const forward = vi.spyOn(GenerationModel.prototype, 'forward');
  try {
    const result = await iclStage(input);
    return { ...result, passes: forward.mock.calls.length };
  } finally {
    forward.mockRestore();
  }
}

describe('iclStage on UD data with the tiny fixture decoder', () => {
  it('reports accuracy per target and demonstration source, the concept rows, and resumes without decoding', async () => {
    const first = await stage();
    const { section } = first;
    expect(first.passes).toBeGreaterThan(0);
    expect(section.k).toBe(1);
    expect(section.layers).toEqual([1]); // round(2 * 7 / 12)
    expect(section.metaLanguages).toEqual(['de', 'fr']);
    const rows = section.accuracy.map((r) => `${r.language} ${r.demonstrations} ${r.k} ${r.runs}`);
    // Warlpiri is test-only: no 'target' demonstrations.
    expect(rows).toEqual(['cy source 1 2', 'cy target 1 2', 'cy none 0 1', 'wbp source 1 2', 'wbp none 0 1']);
    for (const row of section.accuracy) {
      expect(row.perRun).toHaveLength(row.runs);
      for (const value of [row.accuracy, ...row.perRun, row.majority, row.perWordMajority]) {
        if (value !== null) expect(value).toBeGreaterThanOrEqual(0);
        if (value !== null) expect(value).toBeLessThanOrEqual(1);
      }
      expect(row.words).toBeGreaterThan(0);
    }
    for (const language of ['cy', 'wbp']) {
      const methods = section.concepts.filter((c) => c.language === language).map((c) => c.method);
      expect(methods).toEqual(expect.arrayContaining(['majority', 'source-probe', 'meta']));
    }
    expect(section.concepts.filter((c) => c.method === 'in-language').map((c) => c.language)).toEqual(['cy']);
    expect(section.relation).toHaveLength(1);
    expect(section.relation[0].metric).toBe('procrustes');
    const report = { schemaVersion: 1, run: RUN, icl: section };
    expect(validateExperimentResult(report)).toEqual([]);
    const runs = join(first.folder.dir, 'accuracy', 'upos', 'cy', 'source');
    expect((await readdir(runs)).sort()).toEqual(['run-0', 'run-1']);
    // 12 test sentences in batches of 5: three saved units per run.
    expect((await readdir(join(runs, 'run-1'))).sort()).toEqual([
      'batch-0.json',
      'batch-1.json',
      'batch-2.json',
    ]);

    // A rerun finds every unit, state and learner: no forward pass, the same section.
    const again = await stage();
    expect(again.passes).toBe(0);
    expect(again.folder).toEqual(first.folder);
    expect(again.section).toEqual(section);

    // A stage killed in the middle of a run redoes only the batch it was in.
    await rm(join(runs, 'run-1', 'batch-1.json'));
    const resumed = await stage();
    expect(resumed.passes).toBeGreaterThan(0);
    expect(resumed.passes).toBeLessThan(first.passes / 4);
    expect(resumed.section).toEqual(section);
  });

  it('3 shards decode every run and states split once; the stage after them decodes nothing and equals one process', async () => {
    const single = await stage('single');
    const input = await stageInput('sharded');
    const forward = vi.spyOn(GenerationModel.prototype, 'forward');
    try {
      for (let index = 0; index < 3; index++) await iclStageShard(input, { index, count: 3 });
      expect(forward.mock.calls.length).toBe(single.passes);
    } finally {
      forward.mockRestore();
    }
    const after = await stage('sharded');
    // Only the concepts (probes and learners on the states) were left: no decoding.
    expect(after.passes).toBe(0);
    expect(after.section).toEqual(single.section);
    const [a, b] = [fileTree(single.folder.dir), fileTree(after.folder.dir)];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    expect([...a.keys()].filter((path) => !b.get(path)?.equals(a.get(path)!))).toEqual([]);
  });
});

const RUN = {
  configHash: 'abc',
  createdAt: '2025-01-01T00:00:00Z',
  model: { name: 'decoder' },
  layer: 1,
  sourceLanguage: 'en',
  seeds: [0],
  ud: { version: '2.14', treebanks: [] },
  splitSubstitutions: [],
};
