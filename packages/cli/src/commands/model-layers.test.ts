import { describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { TINY_BERT, TINY_LLAMA } from '../test-experiment.js';
import { bufferIo } from '../test-io.js';

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
