import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileTree } from '@xling/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { TINY_BERT, UD_DIR, writeTinyConfig } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

const env = { XLING_UD_DIR: UD_DIR };
/** A hostile model folder must fail at once; a hang would run into this. */
const TIMEOUT = 5000;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** `writeTinyConfig(changes)`, its folder removed after the tests. */
function tinyConfig(changes: Record<string, unknown> = {}): { dir: string; config: string } {
  const written = writeTinyConfig(changes);
  temps.push(written.dir);
  return written;
}

/** A copy of the tiny BERT in a fresh temp folder, to be broken. */
function copyTinyBert(): string {
  const parent = mkdtempSync(join(tmpdir(), 'xling-cli-model-'));
  temps.push(parent);
  const model = join(parent, 'model');
  cpSync(TINY_BERT, model, { recursive: true, filter: (path) => !path.includes('.hidden-states.onnx') });
  return model;
}

describe('extract', () => {
  it("run(['extract', config]) fills the store, stops there (no probes, no report) and names the next step", async () => {
    const { dir } = tinyConfig();
    const io = bufferIo({ cwd: dir, env });
    expect(await run(['extract', 'config.yaml'], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/\nStore: out\/store\n/);
    expect(io.out()).toMatch(/Stage 'extract' done: .*next: 'xling probe <config>'/);
    expect(io.out()).not.toMatch(/Report:|accuracy/);
    expect(io.err()).not.toMatch(/probe|meta-train|alignability/i);
    const written = [...fileTree(join(dir, 'out')).keys()];
    expect(written).toContain('store/manifest.json');
    // Besides the store, only the split cache that spares later stages the treebanks' parse.
    expect(written.filter((file) => !file.startsWith('store/') && !file.startsWith('splits/'))).toEqual([]);
    expect(written.filter((file) => file.startsWith('splits/'))).toContain(
      'splits/UD_English-EWT.test.cap20.json',
    );
  });

  it.skipIf(process.platform === 'win32')(
    "run(['extract', config]) exits 1 with XLING_MODEL_FOLDER when tokenizer.json is a FIFO",
    async () => {
      const model = copyTinyBert();
      rmSync(join(model, 'tokenizer.json'));
      execFileSync('mkfifo', [join(model, 'tokenizer.json')]);
      const { dir, config } = tinyConfig({ model });
      const io = bufferIo({ cwd: dir, env });
      expect(await run(['extract', config], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(/tokenizer\.json is not a regular file .*\[XLING_MODEL_FOLDER\]\n$/);
    },
    TIMEOUT,
  );

  it(
    "run(['extract', config]) exits 1 with XLING_MODEL_FOLDER for num_hidden_layers 1e9",
    async () => {
      const model = copyTinyBert();
      const configFile = join(model, 'config.json');
      const config = JSON.parse(readFileSync(configFile, 'utf8'));
      writeFileSync(configFile, JSON.stringify({ ...config, num_hidden_layers: 1e9 }));
      const { dir, config: experiment } = tinyConfig({ model });
      const io = bufferIo({ cwd: dir, env });
      expect(await run(['extract', experiment], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(
        /'num_hidden_layers' must be an integer from 1 to 1024, but got 1000000000.*\[XLING_MODEL_FOLDER\]\n$/,
      );
      expect(existsSync(join(dir, 'out', 'store'))).toBe(false);
    },
    TIMEOUT,
  );
});
