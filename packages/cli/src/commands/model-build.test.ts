import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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

  it("run(['model', 'build', ...]) exits 2 for a bad --dtype and 1 for a folder without a checkpoint", async () => {
    const usage = bufferIo();
    expect(await run(['model', 'build', 'a', 'b', '--dtype', 'int8'], usage)).toBe(EXIT.usage);
    expect(usage.err()).toMatch(/--dtype must be fp32 or fp16, but got 'int8'/);
    const io = bufferIo();
    const empty = mkdtempSync(join(tmpdir(), 'xling-build-'));
    expect(await run(['model', 'build', empty, join(empty, 'out')], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/^xling: error: .*config\.json.*\[XLING_/);
  });
});
