import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measures } from '@xling/align';
import { createSyntheticLanguages } from '@xling/meta';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentResult } from '../report/experiment-result.js';
import { loadExperimentConfig } from './load-experiment-config.js';
import { runStudy } from './run-study.js';
import { syntheticStudyData } from './synthetic-study.js';

// A contributor's measure, written as a plugin module outside xling: mean cosine of the matched
// prototypes raised to `power`. Nothing inside xling names it.
const PLUGIN = `
const cos = (a, b, d, i) => {
  let ab = 0, aa = 0, bb = 0;
  for (let j = 0; j < d; j++) { const x = a[i * d + j], y = b[i * d + j]; ab += x * y; aa += x * x; bb += y * y; }
  return ab / Math.sqrt(aa * bb);
};
export default {
  id: 'meanCosine',
  label: 'mean-cosine',
  description: 'mean cosine of the matched prototypes (a test plugin)',
  higherIsMoreAlignable: true,
  minShared: 3,
  options: { power: { type: 'integer', min: 1, default: 1, description: 'exponent of the mean' } },
  prepare: (x) => x,
  compare: (a, b, o) => {
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += cos(a.data, b.data, a.cols, i);
    return (s / a.rows) ** o.power;
  },
};
`;

let dir: string;
let configs = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-plugin-'));
  await writeFile(join(dir, 'mean-cosine.mjs'), PLUGIN);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function config(alignability: Record<string, unknown>) {
  const file = join(dir, `config-${++configs}.json`);
  const body = {
    model: 'synthetic',
    outDir: join(dir, 'out'),
    layers: [1],
    tasks: ['upos'],
    alignability,
    threads: 1,
  };
  await writeFile(file, JSON.stringify(body));
  return { file, load: () => loadExperimentConfig(file) };
}

describe('alignability.plugins', () => {
  it("registers a plugin's measure, which a config selects and configures and every report shows", async () => {
    const { load } = await config({
      plugins: ['./mean-cosine.mjs'],
      metrics: ['meanCosine', 'procrustes'],
      measureOptions: { meanCosine: { power: 2 } },
      permutations: 19,
    });
    const cfg = await load();
    expect(cfg.alignability.metrics).toEqual(['meanCosine', 'procrustes']);
    expect(measures.get('meanCosine').label).toBe('mean-cosine');
    const names = ['en', 'de', 'fi', 'sw'];
    const languages = createSyntheticLanguages({
      languages: names,
      numLabels: 8,
      dimension: 12,
      conceptDimension: 6,
      specificDimension: 0,
    }).map((data, i) => ({ data, roles: i === 0 ? (['source', 'meta'] as const) : (['target'] as const) }));
    const runDir = join(dir, 'run');
    const run = await runStudy(cfg, syntheticStudyData(languages as never), runDir, {
      until: 'alignability',
    });
    const m = (run.result as ExperimentResult).alignability!.find((a) => a.metric === 'mean-cosine')!;
    expect(m.higherIsBetter).toBe(true);
    expect(m.values.map((row, i) => row[i])).toEqual(names.map(() => 1)); // a space against itself
    expect(m.pValues?.[0][1]).toBeGreaterThan(0);
    for (const report of ['report.json', 'report.md', 'report.html'])
      expect(await readFile(join(runDir, report), 'utf8')).toContain('mean-cosine');
  });

  it('rejects an unknown measure, a bad option and a plugin that exports no measure with XLING_CONFIG', async () => {
    await writeFile(join(dir, 'empty.mjs'), 'export const x = 1;\n');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ metrics: ['nope'] }, /alignability\.metrics\[0\].*registered measure/],
      [
        { metrics: ['rsa'], measureOptions: { rsa: { method: 'cosine' } } },
        /alignability\.measureOptions\.rsa\.method.*one of/,
      ],
      [
        { metrics: ['rsa'], measureOptions: { linearCka: {} } },
        /measureOptions\.linearCka.*not in alignability\.metrics/,
      ],
      [{ plugins: ['./empty.mjs'] }, /alignability\.plugins\[0\].*default-export a measure/],
      [{ plugins: ['./missing.mjs'] }, /alignability\.plugins\[0\].*cannot be imported/],
    ];
    for (const [alignability, message] of cases) {
      const { load } = await config(alignability);
      await expect(load()).rejects.toThrow(message);
      await expect(load()).rejects.toMatchObject({ code: 'XLING_CONFIG' });
    }
  });

  it('expands * wildcards in alignability.metrics against the registry', async () => {
    const { load } = await config({ metrics: ['*Cka', 'rsa'] });
    expect((await load()).alignability.metrics).toEqual(['linearCka', 'rbfCka', 'rsa']);
  });
});
