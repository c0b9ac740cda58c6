import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateExperimentResult } from '../report/validate-experiment-result.js';
import { resolveExperimentConfig } from './experiment-config.js';
import { runExperiment } from './run-experiment.js';

// The tiny random BERT made by scripts/models/make_tiny_models.py (3 layers, d = 32, 40 positions),
// copied per test because loading it writes a derived graph beside the original.
const TINY_BERT = resolve(import.meta.dirname, '../../../extract/src/__fixtures__/models/tiny-bert');

async function smallConfig(outDir: string) {
  const model = join(outDir, 'tiny-bert');
  await cp(TINY_BERT, model, { recursive: true });
  return resolveExperimentConfig({
    title: 'tiny end-to-end run',
    model,
    outDir,
    layers: [2, 1],
    overflow: 'window',
    sourceLanguage: 'en',
    metaLanguages: ['en', 'de'],
    validationLanguages: ['fr'],
    targetLanguages: ['cy'],
    lowResourceTreebanks: ['UD_Warlpiri-UFAL'],
    maxFitSentences: 60,
    maxTestSentences: 30,
    probe: { epochs: 2, k: { upos: 8, deprel: 8 } },
    meta: { epochs: 1, episodesPerLanguage: 2, querySize: 5 },
    alignability: { permutations: 9 },
    fewShot: { shots: [1, 3], seeds: [1, 2], epochs: 2 },
    bootstrap: { resamples: 50 },
    threads: 1,
  });
}

describe('runExperiment(config)', () => {
  it('runExperiment(config) runs every stage on real UD treebanks and writes a valid report; a rerun resumes from the cache', async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'xling-experiment-'));
    const config = await smallConfig(outDir);
    const partial = await runExperiment(config, { until: 'alignability' });
    expect(partial.result?.alignability?.length).toBe(2 * 2 * 3);
    expect(partial.result?.zeroShot).toBeUndefined();
    // The layer sweep needs only alignability: one series per task and metric, a point per layer.
    const sweep = partial.result?.layerSweep ?? [];
    expect(sweep.map((s) => `${s.task} ${s.quantity}`).sort()).toEqual(
      ['deprel', 'upos'].flatMap((t) => ['linear-cka', 'procrustes', 'rsa'].map((m) => `${t} mean ${m}`)),
    );
    for (const s of sweep) expect(s.points.map((p) => p.layer).sort()).toEqual([1, 2]);
    const events: string[] = [];
    const first = await runExperiment(config, { onProgress: (e) => events.push(`${e.task}:${e.status}`) });
    expect(first.runDir).toBe(partial.runDir);
    const result = first.result!;
    expect(validateExperimentResult(result)).toEqual([]);
    expect(result.run.sourceLanguage).toBe('en');
    // Every task has all-pairs matrices for every layer and metric, with p-values and controls.
    expect(result.alignability?.length).toBe(2 * 2 * 3);
    const rsa = result.alignability!.find((a) => a.task === 'upos' && a.layer === 2 && a.metric === 'rsa')!;
    expect(rsa.languages).toEqual(expect.arrayContaining(['en', 'de', 'fr', 'cy']));
    expect(rsa.pValues?.[0][1]).toBeGreaterThan(0);
    expect(rsa.control).toBeDefined();
    // Zero-shot: test-only Warlpiri gets no in-language or Procrustes score, Welsh gets all six.
    const methods = (language: string) =>
      result.zeroShot!.filter((z) => z.task === 'upos' && z.language === language).map((z) => z.method);
    expect(methods('cy')).toEqual([
      'majority',
      'source-classifier',
      'source-probe',
      'procrustes',
      'meta',
      'in-language',
    ]);
    expect(methods('wbp')).toEqual(['majority', 'source-classifier', 'source-probe', 'meta']);
    for (const z of result.zeroShot!) {
      expect(z.accuracy).toBeGreaterThanOrEqual(0);
      expect(z.accuracy).toBeLessThanOrEqual(1);
    }
    expect(result.fewShot?.some((c) => c.language === 'cy' && c.points.length === 2)).toBe(true);
    // Pooled confusion matrices account for every test word of every target of the method.
    const meta = result.confusion!.find((c) => c.task === 'upos' && c.method === 'meta')!;
    expect(meta.languages).toEqual(['cy', 'wbp']);
    const counted =
      meta.matrix.flat().reduce((a, b) => a + b, 0) + meta.noPrediction.reduce((a, b) => a + b, 0);
    const words = result
      .zeroShot!.filter((z) => z.task === 'upos' && z.method === 'meta')
      .reduce((a, z) => a + z.n, 0);
    expect(counted).toBe(words);
    expect(await readFile(join(first.runDir, 'report.md'), 'utf8')).toMatch(
      /## Confusion matrices[\s\S]*### UPOS, meta, layer 2/,
    );
    expect(result.layerSweep?.find((s) => s.quantity === 'mean rsa')?.points.map((p) => p.layer)).toEqual([
      2, 1,
    ]);
    // Declared substitutions: English has no train split here, so dev is used for fitting.
    expect(result.run.splitSubstitutions).toContainEqual(
      expect.objectContaining({ language: 'en', used: 'dev', insteadOf: 'train' }),
    );
    for (const file of ['report.json', 'report.md', 'report.html'])
      expect(existsSync(join(first.runDir, file))).toBe(true);
    expect(events).toContain('extract:end');

    const second = await runExperiment(config);
    expect(second.runDir).toBe(first.runDir);
    expect(second.result?.zeroShot).toEqual(result.zeroShot);
    expect(second.result?.alignability).toEqual(result.alignability);
    const written = JSON.parse(await readFile(join(first.runDir, 'report.json'), 'utf8'));
    expect(written.run.configHash).toBe(result.run.configHash);
  });

  it("runExperiment(config, { until: 'nope' }) throws XLING_INVALID_ARGUMENT", async () => {
    const config = await smallConfig(await mkdtemp(join(tmpdir(), 'xling-experiment-')));
    await expect(runExperiment(config, { until: 'nope' as never })).rejects.toThrow(
      /'options.until' .* must be one of extract, probes/,
    );
  });

  it("runExperiment(config) throws XLING_CONFIG naming 'layers' for a layer the model lacks", async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'xling-experiment-'));
    const config = { ...(await smallConfig(outDir)), layers: [9] };
    await expect(runExperiment(config)).rejects.toThrow(
      /'layers' asks for layer 9, but the model .* has layers 0\.\.3/,
    );
  });
});
