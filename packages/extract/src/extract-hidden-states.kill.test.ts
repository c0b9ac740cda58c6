import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RepresentationStore } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { extractHiddenStates } from './extract-hidden-states.js';
import { HiddenStateModel } from './hidden-state-model.js';
import { FIXTURES, copyModel } from './test-helpers.js';

const golden = JSON.parse(readFileSync(join(FIXTURES, 'tiny-bert.golden.json'), 'utf8'));
const corpus = () =>
  Array.from({ length: 24 }, (_, i) => ({
    words: (golden.sentences[i % 4].words as string[]).map((form) => ({ form })),
  }));

describe('extractHiddenStates(model, sentences, options) after SIGKILL', () => {
  it('resumes a process killed after two shards without a corrupt or duplicated shard', async () => {
    const modelDir = await copyModel('tiny-bert');
    const storeDir = await mkdtemp(join(tmpdir(), 'xling-kill-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(FIXTURES, 'extract-child.ts'), modelDir, storeDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const killedAt = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        if (out.includes('shard 2\n')) {
          child.kill('SIGKILL');
          resolve(out);
        }
      });
      child.on('exit', (code) =>
        reject(new Error(`child exited (${code}) before two shards: ${out} ${stderr}`)),
      );
    });
    expect(killedAt).not.toContain('done');
    await new Promise((resolve) => child.once('exit', resolve));

    const store = await RepresentationStore.open(storeDir);
    const key = { model: 'tiny-bert', layer: 2, pooling: 'first', treebank: 'T', split: 'train' };
    expect(store.entry(key)!.status).toBe('partial');
    const before = store.entry(key)!.shards.length;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(8);

    const model = await HiddenStateModel.load(modelDir, { intraOpNumThreads: 1 });
    try {
      const report = await extractHiddenStates(model, corpus(), {
        store,
        treebank: 'T',
        split: 'train',
        layers: [1, 2],
        shardSize: 3,
      });
      expect(report.resumedShards).toBeGreaterThanOrEqual(2);
      const reference = await RepresentationStore.open(await mkdtemp(join(tmpdir(), 'xling-ref-')));
      await extractHiddenStates(model, corpus(), {
        store: reference,
        treebank: 'T',
        split: 'train',
        layers: [1, 2],
        shardSize: 3,
      });
      for (const layer of [1, 2]) {
        const k = { ...key, layer };
        const entry = store.entry(k)!;
        expect(entry.shards.map((s) => s.file)).toEqual(
          Array.from({ length: 8 }, (_, i) => `shard-${String(i).padStart(5, '0')}.safetensors`),
        );
        // No leftover temporary or extra shard files.
        expect(
          readdirSync(join(storeDir, entry.folder))
            .filter((f) => !f.startsWith('.'))
            .sort(),
        ).toEqual(entry.shards.map((s) => s.file));
        const a = await store.read(k);
        const b = await reference.read(k);
        for (const name of Object.keys(b))
          expect(Array.from(a[name].data as Float32Array)).toEqual(Array.from(b[name].data as Float32Array));
      }
    } finally {
      await model.dispose();
    }
  });
});
