import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { TINY_BERT, TINY_LLAMA } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

/** A hostile model folder must fail at once; a hang would run into this. */
const TIMEOUT = 5000;

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the tiny BERT in a fresh temp folder, to be broken. */
function copyTinyBert(): string {
  const parent = mkdtempSync(join(tmpdir(), 'xling-cli-layers-'));
  temps.push(parent);
  const model = join(parent, 'model');
  cpSync(TINY_BERT, model, { recursive: true, filter: (path) => !path.includes('.hidden-states.onnx') });
  return model;
}

describe('model layers', () => {
  it("run(['model', 'layers', tinyBert]) prints the tensor of every layer 0..3 and the norm nodes", async () => {
    const io = bufferIo();
    expect(await run(['model', 'layers', TINY_BERT], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/Layers 0\.\.3 \(0 = embeddings\):/);
    for (const layer of [0, 1, 2, 3])
      expect(io.out()).toMatch(new RegExp(`\\n +${layer}  \\S+ +(graph-output|norm-input|norm-output)\\n`));
    expect(io.out()).toMatch(/Normalisation nodes \(\d+\):/);
  });

  it("run(['model', 'layers', tinyLlama, '--json']) prints the listing of a pre-norm model as JSON", async () => {
    const io = bufferIo();
    expect(await run(['model', 'layers', TINY_LLAMA, '--json'], io)).toBe(EXIT.ok);
    const listing = JSON.parse(io.out());
    expect(Array.isArray(listing.graphOutputs)).toBe(true);
    expect(listing.layers.map((l: { layer: number }) => l.layer)).toEqual(
      Array.from({ length: listing.layers.length }, (_, i) => i),
    );
    expect(listing.norms.length).toBeGreaterThan(0);
  });

  it("run(['model', 'layers', missing]) exits 1 with XLING_MODEL_FOLDER", async () => {
    const io = bufferIo();
    expect(await run(['model', 'layers', '/nonexistent/model'], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/^xling: error: .*\/nonexistent\/model.*\[XLING_MODEL_FOLDER\]\n$/);
  });
});

describe('model layers, hostile model folders', () => {
  it.skipIf(process.platform === 'win32')(
    "run(['model', 'layers', dir]) exits 1 with XLING_MODEL_FOLDER when config.json is a FIFO",
    async () => {
      const model = copyTinyBert();
      rmSync(join(model, 'config.json'));
      execFileSync('mkfifo', [join(model, 'config.json')]);
      const io = bufferIo();
      expect(await run(['model', 'layers', model], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(
        /config\.json is not a regular file \(it is a named pipe \(FIFO\).*\[XLING_MODEL_FOLDER\]\n$/,
      );
    },
    TIMEOUT,
  );

  it.skipIf(!existsSync('/dev/zero'))(
    "run(['model', 'layers', dir]) exits 1 with XLING_MODEL_FOLDER when onnx/model.onnx links to /dev/zero",
    async () => {
      const model = copyTinyBert();
      rmSync(join(model, 'onnx', 'model.onnx'));
      symlinkSync('/dev/zero', join(model, 'onnx', 'model.onnx'));
      const io = bufferIo();
      expect(await run(['model', 'layers', model], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(
        /onnx\/model\.onnx is not a regular file \(it is a device.*\[XLING_MODEL_FOLDER\]\n$/,
      );
    },
    TIMEOUT,
  );

  it(
    "run(['model', 'layers', dir]) exits 1 with XLING_MODEL_FOLDER for num_hidden_layers 1e9",
    async () => {
      const model = copyTinyBert();
      const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
      writeFileSync(join(model, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 1e9 }));
      const io = bufferIo();
      expect(await run(['model', 'layers', model], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(/'num_hidden_layers' must be an integer from 1 to 1024, but got 1000000000/);
    },
    TIMEOUT,
  );
});
