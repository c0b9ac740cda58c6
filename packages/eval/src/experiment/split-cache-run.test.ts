import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readConllu } from '@xling/ud';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runExperiment } from './run-experiment.js';
import { threeLanguageStudy } from './test-study-config.js';

vi.mock('@xling/ud', async (original) => {
  const ud = await original<typeof import('@xling/ud')>();
  return { ...ud, readConllu: vi.fn(ud.readConllu) };
});

const TINY_BERT = resolve(import.meta.dirname, '../../../extract/src/__fixtures__/models/tiny-bert');
let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'xling-split-cache-'));
  await cp(TINY_BERT, join(root, 'tiny-bert'), { recursive: true });
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const studyConfig = (model: string, out: string, extra: Record<string, unknown> = {}) =>
  threeLanguageStudy(model, root, out, extra);

describe('runExperiment and the split cache', () => {
  it('a later process reads no treebank whose splits are stored, and computes what one reading process does', async () => {
    const config = (out: string) => studyConfig(join(root, 'tiny-bert'), out);
    const read = vi.mocked(readConllu);
    await runExperiment(config('cached'), { until: 'extract' });
    expect(read.mock.calls.length).toBeGreaterThan(0);
    read.mockClear();
    const later = await runExperiment(config('cached'), { until: 'probes' });
    expect(read).not.toHaveBeenCalled();
    const reading = await runExperiment(config('reading'), { until: 'probes' });
    expect(read.mock.calls.length).toBeGreaterThan(0);
    const { fileTree } = await import('@xling/core/testing');
    const a = fileTree(reading.stageDirs.probes);
    const b = fileTree(later.stageDirs.probes);
    expect([...b.keys()]).toEqual([...a.keys()]);
    expect([...a.keys()].filter((path) => !b.get(path)?.equals(a.get(path)!))).toEqual([]);
  }, 300_000);

  it('a cached split does not hide entries of another model: the store still says so', async () => {
    const model = join(root, 'tiny-bert-changed');
    await cp(join(root, 'tiny-bert'), model, { recursive: true });
    const config = studyConfig(model, 'changed', { modelName: 'tiny-bert' });
    await runExperiment(config, { until: 'extract' });
    // The same name, other weights: a new fingerprint (config.json is part of it).
    const file = join(model, 'config.json');
    await writeFile(
      file,
      JSON.stringify({ ...JSON.parse(await readFile(file, 'utf8')), _name_or_path: 'retrained' }),
    );
    await expect(runExperiment(config, { until: 'extract' })).rejects.toMatchObject({
      code: 'XLING_STORE_MISMATCH',
    });
  }, 300_000);
});
