import { createHash } from 'node:crypto';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFolder } from './read-model-folder.js';

const SAMPLE = 1 << 16;

/** sha256 of a file's size and its first and last 64 KiB: cheap, and stable when copied. */
export async function fileFingerprint(path: string): Promise<string> {
  const { size } = await stat(path);
  const hash = createHash('sha256').update(`${size}:`);
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(SAMPLE, size));
    await handle.read(head, 0, head.length, 0);
    hash.update(head);
    if (size > SAMPLE) {
      const tail = Buffer.alloc(Math.min(SAMPLE, size - SAMPLE));
      await handle.read(tail, 0, tail.length, size - tail.length);
      hash.update(tail);
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/**
 * Fingerprint of the model a folder holds: sha256 over config.json, tokenizer.json and the ONNX
 * graph's size plus its first and last 64 KiB (modification times are left out so that a copied
 * folder keeps its fingerprint). Stored with every extraction so that a store never mixes
 * vectors of two models. Returns `sha256:<16 hex digits>`.
 */
export async function modelFingerprint(folder: ModelFolder): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(join(folder.dir, 'config.json')));
  hash.update(await readFile(folder.tokenizerFile));
  hash.update(await fileFingerprint(folder.onnxFile));
  return `sha256:${hash.digest('hex').slice(0, 16)}`;
}
