import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readExperimentResult } from './read-experiment-result.js';
import { syntheticResult } from './synthetic-result.js';
import { writeReport } from './write-report.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-eval-report-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('writeReport', () => {
  it('writeReport(dir, result) writes report.json, report.md and report.html and nothing else', async () => {
    const dir = join(await tempDir(), 'nested', 'run');
    const result = syntheticResult();
    const paths = await writeReport(dir, result);
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    expect(JSON.parse(await readFile(paths.json, 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
    expect(await readFile(paths.html, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(await readFile(paths.markdown, 'utf8')).toMatch(/^# Synthetic xling report/);
    expect(await readExperimentResult(paths.json)).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it('writeReport(dir, invalid) throws naming the key and writes nothing, keeping an older report', async () => {
    const dir = await tempDir();
    await writeReport(dir, syntheticResult());
    const before = await readFile(join(dir, 'report.html'), 'utf8');
    const bad = { ...syntheticResult(), run: { ...syntheticResult().run, layer: -1 } };
    await expect(writeReport(dir, bad)).rejects.toThrow(
      /Argument 'result.run.layer' passed to 'writeReport'/,
    );
    expect((await readdir(dir)).sort()).toEqual(['report.html', 'report.json', 'report.md']);
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toBe(before);
    const fresh = join(dir, 'fresh');
    await expect(writeReport(fresh, bad)).rejects.toThrow(/XLING|result.run.layer/);
    await expect(readdir(fresh)).rejects.toThrow(/ENOENT/);
  });

  it('writeReport(dir, result, { baseName }) names the files', async () => {
    const dir = await tempDir();
    const paths = await writeReport(dir, syntheticResult(), { baseName: 'upos' });
    expect(paths.html).toBe(join(dir, 'upos.html'));
    await expect(writeReport(dir, syntheticResult(), { base: 'x' } as never)).rejects.toThrow(/options.base/);
  });
});

describe('readExperimentResult', () => {
  it('readExperimentResult(path) throws XLING_FILE_FORMAT for bad JSON and schema problems', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.json'), '{ nope');
    await expect(readExperimentResult(join(dir, 'a.json'))).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'json-syntax',
    });
    await writeFile(join(dir, 'b.json'), JSON.stringify({ schemaVersion: 1, run: {} }));
    await expect(readExperimentResult(join(dir, 'b.json'))).rejects.toThrow(
      /b\.json:0:0: key 'result\.run\.title'|b\.json:0:0: key 'result\.run\.configHash' is required/,
    );
  });
});
