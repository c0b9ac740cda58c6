import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { validateExperimentResult } from '@xling/eval';
import { buildOnnxFromCheckpoint } from '@xling/extract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { CHECKPOINTS, UD_DIR, writeTinyConfig } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

const env = { XLING_UD_DIR: UD_DIR };
const ICL_TOKENIZER = join(import.meta.dirname, '../../../icl/src/__fixtures__/icl-tokenizer.json');

// The tiny LLaMA fixture (64 positions) with @xling/icl's fixture tokenizer, built once; the
// encoder of the config ('model') is never loaded by 'xling icl'.
const { dir } = writeTinyConfig();
const config = JSON.parse(readFileSync(join(dir, 'config.yaml'), 'utf8')) as { model: string };
beforeAll(async () => {
  await buildOnnxFromCheckpoint(join(CHECKPOINTS, 'llama'), join(dir, 'decoder'));
  await copyFile(ICL_TOKENIZER, join(dir, 'decoder', 'tokenizer.json'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * icl.yaml in the shared folder: the tiny experiment with an icl section; its encoder `model`
 * does not exist unless given ('xling icl' never loads it).
 */
function writeConfig(icl: Record<string, unknown>, model = 'no-encoder-here'): string {
  const config = JSON.parse(readFileSync(join(dir, 'config.yaml'), 'utf8'));
  const file = join(dir, 'icl.yaml');
  const small = {
    maxFitSentences: 30,
    meta: { epochs: 1, episodesPerLanguage: 2, querySize: 3, minCount: 1 },
  };
  writeFileSync(file, JSON.stringify({ ...config, ...small, model, icl }));
  return file;
}

describe("run(['icl', config])", () => {
  it('runs the ICL stage without the encoder, writes the report and prints the accuracy table', async () => {
    writeConfig({ model: 'decoder', k: 1, runs: 2, maxSentences: 8 });
    const io = bufferIo({ cwd: dir, env });
    expect(await run(['icl', 'icl.yaml'], io)).toBe(EXIT.ok);
    const runDir = /Run folder: (\S+)/.exec(io.out())![1]!;
    const report = JSON.parse(readFileSync(join(dir, runDir, 'report.json'), 'utf8'));
    expect(validateExperimentResult(report)).toEqual([]);
    expect(report.icl.k).toBe(1);
    expect(report.icl.accuracy.map((a: { language: string }) => a.language)).toContain('wbp');
    expect(existsSync(join(dir, runDir, 'report.html'))).toBe(true);
    expect(readFileSync(join(dir, runDir, 'report.md'), 'utf8')).toContain('## In-context learning');
    expect(io.out()).toMatch(/In-context learning accuracy \(decoder, k = 1, mean over 2 runs\)/);
    expect(io.out()).toMatch(/\nupos +wbp +\d+\.\d% +- +\d+\.\d%\n/);
    expect(io.out()).toContain("Stage 'icl' done");
    expect(io.err()).toMatch(/stage icl [0-9a-f]{12}: computed/);
  });

  it("'xling icl --workers 2' decodes in 2 worker processes and writes the report of one process", async () => {
    writeConfig({ model: 'decoder', k: 1, runs: 2, maxSentences: 8 });
    const report = (out: string, workers: string) => {
      const io = bufferIo({ cwd: dir, env });
      return run(['icl', 'icl.yaml', '--out', out, '--workers', workers], io).then((code) => {
        expect(code).toBe(EXIT.ok);
        const runDir = /Run folder: (\S+)/.exec(io.out())![1]!;
        if (workers === '2') expect(io.err()).toContain('xling: icl: 2 worker processes (--shard i/2)\n');
        const json = JSON.parse(readFileSync(join(dir, runDir, 'report.json'), 'utf8'));
        json.run.createdAt = '';
        return JSON.stringify(json);
      });
    };
    expect(await report('icl-parallel', '2')).toBe(await report('icl-single', '1'));
  });

  it("run(['run', config]) with an icl section reports the encoder study and the ICL stage together", async () => {
    writeConfig(
      { model: 'decoder', k: 1, runs: 1, maxSentences: 4, demonstrations: ['source'] },
      config.model,
    );
    const io = bufferIo({ cwd: dir, env });
    const code = await run(['run', 'icl.yaml'], io);
    expect(
      io
        .err()
        .split('\n')
        .filter((l) => /error:|\[XLING_/.test(l)),
    ).toEqual([]);
    expect(code).toBe(EXIT.ok);
    const runDir = /Run folder: (\S+)/.exec(io.out())![1]!;
    const report = JSON.parse(readFileSync(join(dir, runDir, 'report.json'), 'utf8'));
    expect(validateExperimentResult(report)).toEqual([]);
    expect(report.alignability.length).toBeGreaterThan(0);
    expect(report.zeroShot.length).toBeGreaterThan(0);
    expect(report.icl.accuracy.map((a: { demonstrations: string }) => a.demonstrations)).toEqual([
      'source',
      'source',
    ]);
    expect(io.err()).toMatch(/stage icl [0-9a-f]{12}: computed/);
  });

  it('exits 1 naming the bad key, and 1 for a config without an icl section', async () => {
    writeConfig({ model: 'decoder', k: -1, labelForm: 'emoji' });
    const bad = bufferIo({ cwd: dir, env });
    expect(await run(['icl', 'icl.yaml'], bad)).toBe(EXIT.failure);
    expect(bad.err()).toMatch(/icl\.yaml: icl\.k: must be an integer in \[0, 1000\], but got -1/);
    expect(bad.err()).toMatch(/icl\.yaml: icl\.labelForm: must be one of 'strings', /);
    expect(bad.err()).toMatch(/\[XLING_CONFIG\]\n$/);

    const none = bufferIo({ cwd: dir, env });
    expect(await run(['icl', 'config.yaml'], none)).toBe(EXIT.failure);
    expect(none.err()).toMatch(/Config key 'icl' is missing.*\[XLING_CONFIG\]/s);
  });
});
