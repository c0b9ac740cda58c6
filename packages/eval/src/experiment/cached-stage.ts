import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ProgressCallback, writeFileAtomic } from '@xling/core';
import type { CachedStage, RunLayout } from './run-layout.js';

async function filesUnder(dir: string): Promise<Set<string>> {
  return new Set(await readdir(dir, { recursive: true }));
}

/**
 * Runs one cached stage in its folder (run-layout.ts). The stage's own caches (cachedJson, saved
 * probes and learners) decide what to compute; around them this writes the folder's stage.json
 * (what its key is made of) and tells `onProgress` whether the stage wrote anything new or reused
 * the folder as it was: `{ task: 'stage', label: '<stage> <key>: reused' }` (or `computed`).
 */
export function cachedStage<T>(
  layout: RunLayout,
  stage: CachedStage,
  onProgress: ProgressCallback | undefined,
  body: () => Promise<T>,
): Promise<T> {
  const folder = { stage, key: layout.keys[stage], dir: layout.dirs[stage], inputs: layout.inputs[stage] };
  return cachedFolder(folder, onProgress, body);
}

/** A stage folder: `<outDir>/stages/<stage>/<key>` and what its key was made of. */
export interface StageFolder {
  stage: string;
  key: string;
  dir: string;
  inputs: unknown;
}

/** {@link cachedStage} for any stage folder (the ICL stage's key also holds the decoder's fingerprint). */
export async function cachedFolder<T>(
  folder: StageFolder,
  onProgress: ProgressCallback | undefined,
  body: () => Promise<T>,
): Promise<T> {
  const label = `${folder.stage} ${folder.key}`;
  onProgress?.({ status: 'start', task: 'stage', label });
  const marker = join(folder.dir, 'stage.json');
  if (!existsSync(marker)) await writeFileAtomic(marker, `${JSON.stringify(folder.inputs, null, 2)}\n`);
  const before = await filesUnder(folder.dir);
  const value = await body();
  const written = [...(await filesUnder(folder.dir))].some((f) => !before.has(f));
  onProgress?.({ status: 'end', task: 'stage', label: `${label}: ${written ? 'computed' : 'reused'}` });
  return value;
}
