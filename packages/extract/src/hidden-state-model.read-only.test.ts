import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { embedSentences } from './embed-sentences.js';
import { HiddenStateModel } from './hidden-state-model.js';
import { FIXTURES, copyModel, moveWeightsToExternalData } from './test-helpers.js';

const golden = JSON.parse(readFileSync(join(FIXTURES, 'tiny-bert.golden.json'), 'utf8'));
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'xling-extract-ro-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function setDirModes(dir: string, mode: number): Promise<void> {
  await chmod(dir, mode);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await setDirModes(join(dir, entry.name), mode);
  }
}

/**
 * A fresh folder filled by `fill`, then made read-only: by folder modes for an ordinary user; as
 * root, whom modes do not stop, by remounting a tmpfs read-only. Skips the test, with the reason,
 * where neither works.
 */
async function readOnlyFolder(context: TestContext, fill: (root: string) => Promise<void>): Promise<string> {
  const root = await tempDir();
  if (process.getuid?.() === 0) {
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'xling-read-only', root], { stdio: 'pipe' });
    } catch (error) {
      context.skip(`running as root (folder modes do not stop root) and cannot mount a tmpfs: ${error}`);
    }
    cleanups.push(async () => void execFileSync('umount', [root], { stdio: 'pipe' }));
    await fill(root);
    execFileSync('mount', ['-o', 'remount,ro', root], { stdio: 'pipe' });
  } else {
    await fill(root);
    await setDirModes(root, 0o555);
    cleanups.push(() => setDirModes(root, 0o755));
  }
  const written = await writeFile(join(root, 'probe'), '').then(
    () => true,
    () => false,
  );
  if (written) context.skip('this process can still write to a read-only folder');
  return root;
}

/** Layer-3 vector of the golden sentence's first word, to 3 decimals. */
async function firstWordVector(model: HiddenStateModel): Promise<number[] | boolean> {
  const [s] = await embedSentences(model, [golden.sentences[0].words], { layers: [3] });
  return s.skipped || Array.from(s.words[3].first!.data.slice(0, 3), (v) => Number(v.toFixed(3)));
}

const expected = golden.sentences[0].layers['3'].first[0]
  .slice(0, 3)
  .map((v: number) => Number(v.toFixed(3)));

describe('HiddenStateModel.load of a read-only model folder', () => {
  it('saves the derived graph in the cache folder, once, and reuses it', async (context) => {
    const root = await readOnlyFolder(context, (dir) => copyModel('tiny-bert', dir).then(() => undefined));
    const dir = join(root, 'tiny-bert');
    const cacheDir = await tempDir();
    const first = await HiddenStateModel.load(dir, { cacheDir });
    expect(first.graphFile.startsWith(join(cacheDir, 'hidden-states'))).toBe(true);
    expect(existsSync(join(dir, 'onnx', 'model.hidden-states.onnx'))).toBe(false);
    expect(await firstWordVector(first)).toEqual(expected);
    await first.dispose();
    const mtime = statSync(first.graphFile).mtimeMs;
    const second = await HiddenStateModel.load(dir, { cacheDir });
    expect(second.graphFile).toBe(first.graphFile);
    expect(statSync(second.graphFile).mtimeMs).toBe(mtime);
    await second.dispose();
  });

  it('reads the weights of an external data file from the model folder', async (context) => {
    const root = await readOnlyFolder(context, async (dir) => {
      await moveWeightsToExternalData(await copyModel('tiny-bert', dir));
    });
    const cacheDir = await tempDir();
    const model = await HiddenStateModel.load(join(root, 'tiny-bert'), { cacheDir });
    expect(model.graphFile.startsWith(cacheDir)).toBe(true);
    expect(await firstWordVector(model)).toEqual(expected);
    await model.dispose();
  });

  it('fails with XLING_FILE_SYSTEM naming the cache when the cache cannot be written either', async (context) => {
    const root = await readOnlyFolder(context, (dir) => copyModel('tiny-bert', dir).then(() => undefined));
    await expect(
      HiddenStateModel.load(join(root, 'tiny-bert'), { cacheDir: join(root, 'cache') }),
    ).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      message: expect.stringMatching(/read-only model folder in the cache \(options\.cacheDir/),
    });
  });
});
