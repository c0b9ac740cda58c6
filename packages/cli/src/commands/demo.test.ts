import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { CHECKPOINTS, TINY_BERT, UD_DIR } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

const ICL_TOKENIZER = join(import.meta.dirname, '../../../icl/src/__fixtures__/icl-tokenizer.json');

describe('demo', () => {
  it("run(['demo', '--quick', '--model', tinyBert]) runs the whole pipeline and says where the report is", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xling-demo-'));
    const io = bufferIo({ cwd, env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['demo', '--quick', '--model', TINY_BERT], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(
      /^xling demo \(quick\): a handful of languages, tiny settings\nModel: .*tiny-bert\n/,
    );
    const html = /Report:\n {2}(\S+report\.html)\n/.exec(io.out())![1]!;
    expect(html).toMatch(/^xling-out\/runs\/[0-9a-f]{12}\/report\.html$/);
    expect(existsSync(join(cwd, html))).toBe(true);
    expect(io.out()).toMatch(/\nmeta +\d+\.\d% \(2\) +\d+\.\d% \(2\)\n/);
    // layer 2 of the 3-layer model is the main one (7/12 of the depth), layer 3 the sweep.
    expect(io.err()).toMatch(/layers 2, 3\), until 'all'/);
  });

  it("run(['demo']) exits 1 naming the default model folder when the repository does not have it", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xling-demo-repo-'));
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    mkdirSync(join(cwd, 'models', 'xling-mini-encoder'), { recursive: true });
    writeFileSync(join(cwd, 'models', 'xling-mini-encoder', 'config.json'), '{}');
    const io = bufferIo({ cwd, env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['demo'], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(
      /^xling: error: Model folder '.*models\/xling-mini-encoder': the demo's default model 'models\/xling-mini-encoder' is incomplete \(missing tokenizer\.json, model\.safetensors\)\. .*--model <dir>.*\[XLING_MODEL_FOLDER\]\n$/,
    );
  });

  it("run(['demo', '--quick']) builds the default model's ONNX graph from its checkpoint once, then runs", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xling-demo-repo-'));
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    const model = join(cwd, 'models', 'xling-mini-encoder');
    cpSync(join(CHECKPOINTS, 'bert'), model, { recursive: true });
    const io = bufferIo({ cwd, env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['demo', '--quick'], io)).toBe(EXIT.ok);
    expect(io.err()).toMatch(
      /Building the ONNX graph of models\/xling-mini-encoder from its checkpoint \(once\)/,
    );
    expect(existsSync(join(model, 'onnx', 'model.onnx'))).toBe(true);
    const again = bufferIo({ cwd, env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['demo', '--quick'], again)).toBe(EXIT.ok);
    expect(again.err()).not.toMatch(/Building the ONNX graph/);
  });

  it("run(['demo', '--quick', '--icl']) builds the default decoder's generation graph from its checkpoint and adds the ICL stage", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xling-demo-icl-'));
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    const decoder = join(cwd, 'models', 'xling-mini-decoder');
    cpSync(join(CHECKPOINTS, 'llama'), decoder, { recursive: true });
    cpSync(ICL_TOKENIZER, join(decoder, 'tokenizer.json'));
    const io = bufferIo({ cwd, env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['demo', '--quick', '--icl', '--model', TINY_BERT], io)).toBe(EXIT.ok);
    expect(io.err()).toMatch(
      /Building the ONNX graph of models\/xling-mini-decoder from its checkpoint \(once\)/,
    );
    expect(existsSync(join(decoder, 'onnx', 'decoder_model_merged.onnx'))).toBe(true);
    expect(io.err()).toMatch(/icl upos cy, source demonstrations, run 1 of 1 .*done/);
    expect(io.out()).toMatch(/In-context learning accuracy \(xling-mini-decoder, k = 1, mean over 1 runs\)/);
  });

  it("run(['demo', '--icl', '--model', tinyBert]) exits 1 naming the default decoder folder when it is missing", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xling-demo-icl-repo-'));
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    const io = bufferIo({ cwd, env: { XLING_UD_DIR: UD_DIR } });
    expect(await run(['demo', '--icl', '--model', TINY_BERT], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(
      /the demo's default decoder 'models\/xling-mini-decoder' is missing\. .*train-decoder.*\[XLING_MODEL_FOLDER\]\n$/,
    );
  });

  it("run(['demo', '--model', tinyBert]) exits 1 naming the candidates when no UD folder can be found", async () => {
    // A repository one level down in a fresh folder, so no ../shared/data/ud can exist beside it.
    const cwd = join(mkdtempSync(join(tmpdir(), 'xling-demo-none-')), 'repo');
    mkdirSync(cwd);
    writeFileSync(join(cwd, 'pnpm-workspace.yaml'), '');
    const io = bufferIo({ cwd, env: {} });
    expect(await run(['demo', '--model', TINY_BERT], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(/No UD directory found\. .*set XLING_UD_DIR/);
  });
});
