import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { UD_DIR, writeTinyConfig } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

let dir = '';
let runDir = '';

beforeAll(async () => {
  const written = writeTinyConfig({ tasks: ['upos'], layers: [2], fewShot: { shots: [] } });
  dir = written.dir;
  const io = bufferIo({ cwd: dir, env: { XLING_UD_DIR: UD_DIR } });
  expect(await run(['align', written.config], io)).toBe(EXIT.ok);
  runDir = join(dir, /Run folder: (\S+)/.exec(io.out())![1]!);
});

describe('report', () => {
  it("run(['report', runDir, '--format', 'md', '--out', dir]) writes only report.md there, the same as the run's", async () => {
    const io = bufferIo({ cwd: dir });
    expect(await run(['report', runDir, '--format', 'md', '--out', 'copy'], io)).toBe(EXIT.ok);
    expect(io.out()).toBe(`Wrote ${join(dir, 'copy', 'report.md')}\n`);
    expect(readFileSync(join(dir, 'copy', 'report.md'), 'utf8')).toBe(
      readFileSync(join(runDir, 'report.md'), 'utf8'),
    );
    expect(existsSync(join(dir, 'copy', 'report.html'))).toBe(false);
    expect(existsSync(join(dir, 'copy', 'report.json'))).toBe(false);
  });

  it("run(['report', 'report.json', '--summary']) re-renders all three in place, JSON last, and prints the summary", async () => {
    const json = join(runDir, 'report.json');
    const before = readFileSync(json, 'utf8');
    const io = bufferIo({ cwd: runDir });
    expect(await run(['report', 'report.json', '--summary'], io)).toBe(EXIT.ok);
    expect(io.out().split('\n').slice(0, 3)).toEqual(
      ['md', 'html', 'json'].map((f) => `Wrote ${join(runDir, `report.${f}`)}`),
    );
    expect(io.out()).toMatch(/Alignability between languages, mean over pairs \(layer 2\):/);
    expect(readFileSync(json, 'utf8')).toBe(before);
    expect(readFileSync(join(runDir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    expect(statSync(json).mtimeMs).toBeGreaterThanOrEqual(statSync(join(runDir, 'report.html')).mtimeMs);
  });

  it("run(['report', path]) exits 1 for a folder without report.json and for a report.json that breaks the schema", async () => {
    const empty = bufferIo({ cwd: dir });
    expect(await run(['report', dir], empty)).toBe(EXIT.failure);
    expect(empty.err()).toMatch(/report\.json' does not exist: pass a run folder .*\[XLING_FILE_NOT_FOUND\]/);

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({ ...JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')), schemaVersion: 9 }),
    );
    const io = bufferIo({ cwd: dir });
    expect(await run(['report', bad, '--out', 'never'], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/schemaVersion.*\[XLING_FILE_FORMAT\]/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it("run(['report', runDir, '--format', 'pdf']) is a usage error (exit 2)", async () => {
    const io = bufferIo();
    expect(await run(['report', runDir, '--format', 'pdf'], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/--format must be one of md, html, json, but got 'pdf'/);
  });
});
