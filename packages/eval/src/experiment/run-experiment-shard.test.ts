import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileTree } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractionStatus } from './extraction-status.js';
import { runExperiment } from './run-experiment.js';
import { runLayout } from './run-layout.js';
import { threeLanguageStudy } from './test-study-config.js';

const TINY_BERT = resolve(import.meta.dirname, '../../../extract/src/__fixtures__/models/tiny-bert');

let root: string;
let model: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'xling-shard-'));
  // One copy for both runs: the model path is part of the config hash.
  model = join(root, 'tiny-bert');
  await cp(TINY_BERT, model, { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const config = (outDir: string, small: Record<string, unknown> = {}) =>
  threeLanguageStudy(model, root, outDir, small);

describe('runExperiment(config, { shard })', () => {
  it('4 shards and an unsharded run give a store byte-identical to one process; a shard rerun redoes nothing', async () => {
    await runExperiment(config('single'), { until: 'extract' });
    const sharded = config('sharded');
    const outcomes = [];
    for (let index = 0; index < 4; index++) {
      const run = await runExperiment(sharded, { until: 'extract', shard: { index, count: 4 } });
      outcomes.push(...(run.units ?? []));
    }
    // en, de, fr (the shared data's samples have dev and test): every unit ran once, in one shard.
    expect(outcomes.map((o) => o.id).sort()).toEqual(
      ['English-EWT', 'French-GSD', 'German-GSD'].flatMap((tb) => [
        `UD_${tb}.dev.cap20`,
        `UD_${tb}.test.cap10`,
      ]),
    );
    expect(outcomes.map((o) => o.status)).toEqual(Array(6).fill('extracted'));
    expect((await extractionStatus(sharded)).every((unit) => unit.done)).toBe(true);
    const again = await runExperiment(sharded, { until: 'extract', shard: { index: 1, count: 4 } });
    expect(again.units?.map((o) => o.status)).toEqual(['complete', 'complete']);

    await runExperiment(sharded, { until: 'extract' });
    const single = fileTree(join(root, 'single', 'store'));
    const merged = fileTree(join(root, 'sharded', 'store'));
    expect([...merged.keys()]).toEqual([...single.keys()]);
    for (const [path, bytes] of single) expect(merged.get(path)?.equals(bytes), path).toBe(true);
    // The unit stores were moved into the store; only the done marks stay.
    expect(readdirSync(join(root, 'sharded', 'store-units'))).toEqual(['done']);
    // A shard after the merge finds its units complete in the store.
    const late = await runExperiment(sharded, { until: 'extract', shard: { index: 0, count: 4 } });
    expect(late.units?.map((o) => o.status)).toEqual(['complete', 'complete']);
  }, 600_000);

  it('probe shards need the gathered store, then give the probes stage of one process byte for byte', async () => {
    const sharded = config('probe-sharded');
    await runExperiment(sharded, { until: 'extract', shard: { index: 0, count: 2 } });
    await expect(
      runExperiment(sharded, { until: 'probes', shard: { index: 0, count: 2 } }),
    ).rejects.toMatchObject({
      code: 'XLING_STORE_INCOMPLETE',
    });
    await runExperiment(sharded, { until: 'extract' });
    for (let index = 0; index < 3; index++)
      await runExperiment(sharded, { until: 'probes', shard: { index, count: 3 } });
    const probes = runLayout(sharded).dirs.probes;
    const fitted = () => [...fileTree(probes).keys()].filter((path) => path.endsWith('/config.json'));
    const byShards = fitted();
    await runExperiment(sharded, { until: 'probes' });
    // The shards fitted every probe; the unsharded run only added the summaries.
    expect(byShards.length).toBeGreaterThan(0);
    expect(fitted()).toEqual(byShards);
    const single = (await runExperiment(config('probe-single'), { until: 'probes' })).stageDirs.probes;
    const a = fileTree(single);
    const b = fileTree(probes);
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()].filter((path) => !b.get(path)?.equals(a.get(path)!))).toEqual([]);
  }, 600_000);

  it('every later stage in shards, then one unsharded run: stage folders and report of one process, byte for byte', async () => {
    // Small learners and curves: the point is the units' bookkeeping, not the numbers.
    const small = {
      meta: { epochs: 2, episodesPerLanguage: 2, querySize: 5, minCount: 3 },
      fewShot: { shots: [1, 3], seeds: [1, 2], epochs: 2 },
      alignability: { permutations: 9 },
      bootstrap: { resamples: 50 },
    };
    const single = config('all-single', small);
    const sharded = config('all-sharded', small);
    const one = await runExperiment(single, {});
    await runExperiment(sharded, { until: 'extract' });
    // A later stage's shard needs the stages it reads: the meta shards need every probe.
    await expect(
      runExperiment(sharded, { until: 'meta', shard: { index: 0, count: 2 } }),
    ).rejects.toMatchObject({
      code: 'XLING_STAGE_INCOMPLETE',
      message: expect.stringMatching(/Stage 'probes' lacks .*'xling probe <config>'/),
    });
    // Only the first of two alignability shards runs: the `run` shards compute the other units.
    const stages: Array<[NonNullable<Parameters<typeof runExperiment>[1]>['until'], number, number]> = [
      ['probes', 3, 3],
      ['alignability', 2, 1],
      ['meta', 2, 2],
      ['all', 3, 3],
    ];
    const layout = runLayout(sharded);
    const alignabilityUnits = () =>
      [...fileTree(layout.dirs.alignability).keys()].filter((p) => /-L\d+\.[^/]+\.json$/.test(p)).length;
    let halfAligned = 0;
    for (const [until, count, run] of stages) {
      for (let index = 0; index < run; index++) {
        const result = await runExperiment(sharded, { until, shard: { index, count } });
        expect(result.report).toBeUndefined();
      }
      if (until === 'alignability') halfAligned = alignabilityUnits();
    }
    expect(halfAligned).toBeGreaterThan(0);
    expect(alignabilityUnits()).toBeGreaterThan(halfAligned);
    const byShards = fileTree(join(root, 'all-sharded', 'stages'));
    // The shards computed every unit: the unsharded run adds only assembled files.
    const learnersAndUnits = [...byShards.keys()].filter((p) =>
      /(model\/config\.json|seed-\d+\.json|\.probe\.json)$/.test(p),
    );
    expect(learnersAndUnits.some((p) => p.includes('seed-2.json'))).toBe(true);
    expect(existsSync(join(layout.dirs['zero-shot'], 'upos-L2.json'))).toBe(true);
    const all = await runExperiment(sharded, {});
    const a = fileTree(join(root, 'all-single', 'stages'));
    const b = fileTree(join(root, 'all-sharded', 'stages'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()].filter((path) => !b.get(path)?.equals(a.get(path)!))).toEqual([]);
    for (const path of learnersAndUnits) expect(b.get(path)?.equals(byShards.get(path)!), path).toBe(true);
    // The report is the same but for when it was written and the output folder's name.
    const report = (run: typeof one) =>
      readFileSync(run.report!.json, 'utf8')
        .replace(/"createdAt": "[^"]*"/, '')
        .replaceAll(/all-s(ingle|harded)/g, '');
    expect(report(all)).toBe(report(one));
  }, 900_000);

  it('claiming shards side by side (one array for every stage) leave only the gather and the assembly to the unsharded run, byte for byte one process', async () => {
    const small = {
      meta: { epochs: 2, episodesPerLanguage: 2, querySize: 5, minCount: 3 },
      fewShot: { shots: [1, 3], seeds: [1, 2], epochs: 2 },
      alignability: { permutations: 9 },
      bootstrap: { resamples: 50 },
    };
    const one = await runExperiment(config('claim-single', small), {});
    const claimed = config('claim-sharded', small);
    const claims = join(root, 'claims');
    const shards = await Promise.all(
      [0, 1].map((index) => runExperiment(claimed, { until: 'all', shard: { index, count: 2, claims } })),
    );
    expect(shards.map((run) => run.report)).toEqual([undefined, undefined]);
    const byShards = fileTree(join(root, 'claim-sharded', 'stages'));
    const layout = runLayout(claimed);
    const summaries = [...byShards.keys()].filter((p) => p.includes('/summaries/'));
    expect(summaries.length).toBeGreaterThan(0);
    expect(existsSync(join(layout.dirs['zero-shot'], 'deprel-L2.json'))).toBe(true);
    // They extracted every unit into the unit stores and read each other's; the store is gathered next.
    expect(existsSync(join(root, 'claim-sharded', 'store', 'manifest.json'))).toBe(false);
    expect(readdirSync(join(root, 'claim-sharded', 'store-units', 'done'))).toHaveLength(6);
    const all = await runExperiment(claimed, {});
    const stores = [
      fileTree(join(root, 'claim-single', 'store')),
      fileTree(join(root, 'claim-sharded', 'store')),
    ];
    expect([...stores[1].keys()]).toEqual([...stores[0].keys()]);
    for (const [path, bytes] of stores[0]) expect(stores[1].get(path)?.equals(bytes), path).toBe(true);
    const a = fileTree(join(root, 'claim-single', 'stages'));
    const b = fileTree(join(root, 'claim-sharded', 'stages'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()].filter((path) => !b.get(path)?.equals(a.get(path)!))).toEqual([]);
    // Every unit came from the shards: the unsharded run changed none of their files and only
    // assembled the few-shot curves.
    expect([...byShards.keys()].filter((path) => !b.get(path)?.equals(byShards.get(path)!))).toEqual([]);
    expect([...b.keys()].filter((path) => !byShards.has(path))).toEqual(
      ['deprel', 'upos'].map((task) =>
        expect.stringMatching(new RegExp(`^few-shot/[0-9a-f]+/${task}-L2\\.json$`)),
      ),
    );
    const report = (run: typeof one) =>
      readFileSync(run.report!.json, 'utf8')
        .replace(/"createdAt": "[^"]*"/, '')
        .replaceAll(/claim-s(ingle|harded)/g, '');
    expect(report(all)).toBe(report(one));
  }, 900_000);

  it('rejects a shard outside 0..N-1 before loading the model', async () => {
    const c = config('bad');
    await expect(runExperiment(c, { until: 'extract', shard: { index: 4, count: 4 } })).rejects.toMatchObject(
      {
        code: 'XLING_INVALID_ARGUMENT',
      },
    );
  });
});
