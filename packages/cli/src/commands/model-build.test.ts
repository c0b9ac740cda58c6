import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { CHECKPOINTS } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

describe('model build', () => {
  it("run(['model', 'build', checkpoint, out]) writes a model folder whose layers 'model layers' lists", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'xling-build-')), 'bert');
    const io = bufferIo();
    expect(await run(['model', 'build', join(CHECKPOINTS, 'bert'), out], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(
      /^Built bert \(bert family\): (\d+) layers, hidden size \d+, [\d,]+ weights, fp32\./,
    );
    expect(io.out()).toMatch(/outputs: last_hidden_state, hidden_states_0 \.\. hidden_states_\d+/);
    expect(io.err()).toMatch(/build-onnx.*: done/);
    expect(existsSync(join(out, 'onnx', 'model.onnx'))).toBe(true);
    expect(existsSync(join(out, 'onnx', 'decoder_model_merged.onnx'))).toBe(false);
    const layers = Number(/(\d+) layers/.exec(io.out())![1]);

    const listed = bufferIo();
    expect(await run(['model', 'layers', out], listed)).toBe(EXIT.ok);
    expect(listed.out()).toContain(`Layers 0..${layers} (0 = embeddings):`);
    expect(listed.out()).toMatch(/hidden_states_0 +graph-output/);
  });

  it("run(['model', 'build', llamaCheckpoint, out, '--dtype', 'fp16']) writes model_fp16.onnx", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'xling-build-')), 'llama');
    const io = bufferIo();
    expect(await run(['model', 'build', join(CHECKPOINTS, 'llama'), out, '--dtype', 'fp16'], io)).toBe(
      EXIT.ok,
    );
    expect(io.out()).toMatch(/^Built llama \(llama family\): .* fp16\./);
    expect(existsSync(join(out, 'onnx', 'model_fp16.onnx'))).toBe(true);
  });

  it("run(['model', 'build', llamaCheckpoint, out]) writes decoder_model_merged.onnx, and not with --generation never", async () => {
    const parent = mkdtempSync(join(tmpdir(), 'xling-build-'));
    try {
      const io = bufferIo();
      expect(await run(['model', 'build', join(CHECKPOINTS, 'llama'), join(parent, 'a')], io)).toBe(EXIT.ok);
      expect(io.out()).toMatch(/generation graph: .*decoder_model_merged\.onnx/);
      expect(existsSync(join(parent, 'a', 'onnx', 'decoder_model_merged.onnx'))).toBe(true);
      const plain = bufferIo();
      const args = ['model', 'build', join(CHECKPOINTS, 'llama'), join(parent, 'b'), '--generation', 'never'];
      expect(await run(args, plain)).toBe(EXIT.ok);
      expect(plain.out()).not.toMatch(/generation graph/);
      expect(readdirSync(join(parent, 'b', 'onnx'))).toEqual(['model.onnx']);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("run(['model', 'build', ...]) exits 2 for a bad --dtype or --generation and 1 for a folder without a checkpoint", async () => {
    const usage = bufferIo();
    expect(await run(['model', 'build', 'a', 'b', '--dtype', 'int8'], usage)).toBe(EXIT.usage);
    expect(usage.err()).toMatch(/--dtype must be fp32 or fp16, but got 'int8'/);
    const generation = bufferIo();
    expect(await run(['model', 'build', 'a', 'b', '--generation', 'yes'], generation)).toBe(EXIT.usage);
    expect(generation.err()).toMatch(/--generation must be auto, always or never, but got 'yes'/);
    const io = bufferIo();
    const empty = mkdtempSync(join(tmpdir(), 'xling-build-'));
    expect(await run(['model', 'build', empty, join(empty, 'out')], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/^xling: error: .*config\.json.*\[XLING_/);
  });
});

describe('model build, hostile checkpoints and faults', () => {
  /** A hostile checkpoint must fail at once; a hang would run into this. */
  const TIMEOUT = 5000;
  const temps: string[] = [];
  afterAll(() => {
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the tiny BERT checkpoint in a fresh temp folder, to be broken. */
  function copyCheckpoint(): string {
    const parent = mkdtempSync(join(tmpdir(), 'xling-build-'));
    temps.push(parent);
    cpSync(join(CHECKPOINTS, 'bert'), join(parent, 'bert'), { recursive: true });
    return join(parent, 'bert');
  }

  it.skipIf(process.platform === 'win32')(
    "run(['model', 'build', dir, out]) and run(['model', 'layers', dir]) exit 1 with XLING_MODEL_FOLDER when model.safetensors is a FIFO",
    async () => {
      const checkpoint = copyCheckpoint();
      rmSync(join(checkpoint, 'model.safetensors'));
      execFileSync('mkfifo', [join(checkpoint, 'model.safetensors')]);
      for (const args of [
        ['model', 'build', checkpoint, join(checkpoint, 'out')],
        ['model', 'layers', checkpoint],
      ]) {
        const io = bufferIo();
        expect(await run(args, io)).toBe(EXIT.failure);
        expect(io.err()).toMatch(/model\.safetensors is not a regular file .*\[XLING_MODEL_FOLDER\]\n$/);
      }
    },
    TIMEOUT,
  );

  it(
    "run(['model', 'build', dir, out]) exits 1 with XLING_MODEL_FOLDER for num_hidden_layers 1e9",
    async () => {
      const checkpoint = copyCheckpoint();
      const config = JSON.parse(readFileSync(join(checkpoint, 'config.json'), 'utf8'));
      writeFileSync(join(checkpoint, 'config.json'), JSON.stringify({ ...config, num_hidden_layers: 1e9 }));
      const io = bufferIo();
      expect(await run(['model', 'build', checkpoint, join(checkpoint, 'out')], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(
        /'num_hidden_layers' must be an integer from 1 to 1024, but got 1000000000.*\[XLING_MODEL_FOLDER\]\n$/,
      );
    },
    TIMEOUT,
  );

  it("run(['model', 'build', dir, out]) exits 1 with XLING_FILE_SYSTEM when out lies under a file", async () => {
    const checkpoint = copyCheckpoint();
    const file = join(checkpoint, 'not-a-folder');
    writeFileSync(file, '');
    const io = bufferIo();
    expect(await run(['model', 'build', checkpoint, join(file, 'out')], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(
      /Cannot create the folder '.*not-a-folder\/out\/onnx'.*\[XLING_FILE_SYSTEM\]\n$/,
    );
  });
});
