import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyModel } from '../test-helpers.js';
import { modelFingerprint } from './model-fingerprint.js';
import { readModelFolder } from './read-model-folder.js';

describe('modelFingerprint(folder)', () => {
  it('is the same for two copies of a folder and changes with config.json, tokenizer.json or the graph', async () => {
    const a = await readModelFolder(await copyModel('tiny-bert'));
    const b = await readModelFolder(await copyModel('tiny-bert'));
    const fingerprint = await modelFingerprint(a);
    expect(fingerprint).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(await modelFingerprint(b)).toBe(fingerprint);

    await writeFile(
      join(b.dir, 'config.json'),
      (await readFile(join(b.dir, 'config.json'), 'utf8')).replace('"gelu"', '"relu"'),
    );
    expect(await modelFingerprint(b)).not.toBe(fingerprint);

    const c = await readModelFolder(await copyModel('tiny-bert'));
    const graph = await readFile(c.onnxFile);
    graph[graph.length - 10] ^= 1;
    await writeFile(c.onnxFile, graph);
    expect(await modelFingerprint(c)).not.toBe(fingerprint);

    const d = await readModelFolder(await copyModel('tiny-llama'));
    expect(await modelFingerprint(d)).not.toBe(fingerprint);
  });
});
