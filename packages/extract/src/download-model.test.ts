import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { type FileRoute, type FileServer, serveFiles } from '@xling/core/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadModel } from './download-model.js';

const files: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type": "bert"}\n'),
  'tokenizer.json': Buffer.from('{"model": {}}\n'),
  'onnx/model.onnx': Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256)),
  'README.md': Buffer.from('# not needed\n'),
};
const LFS = 'onnx/model.onnx';
const COMMIT = 'a'.repeat(40);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** The git object id of a file, which is what the hub calls `blobId` and its ETag. */
const gitOid = (b: Buffer) =>
  createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${b.length}\0`), b]))
    .digest('hex');
/** The blob name `huggingface_hub` gives a file: its sha256 for LFS files, else its git object id. */
const blobId = (path: string) => (path === LFS ? sha(files[path]!) : gitOid(files[path]!));
const index = {
  sha: COMMIT,
  siblings: Object.keys(files).map((rfilename) => ({
    rfilename,
    blobId: gitOid(files[rfilename]!),
    ...(rfilename === LFS ? { lfs: { sha256: sha(files[rfilename]!), size: 50_000 } } : {}),
  })),
};
const INDEX_PATH = '/api/models/org/tiny/revision/main?blobs=true';

/** The routes of a fake hub serving `org/tiny` at `COMMIT` (index and resolve endpoints). */
function hubRoutes(): Record<string, FileRoute> {
  const routes: Record<string, FileRoute> = {
    '/api/models/org/tiny/revision/main': {
      body: Buffer.from(JSON.stringify(index)),
      headers: { 'content-type': 'application/json' },
    },
    '/api/models/org/empty/revision/main': Buffer.from(JSON.stringify({ sha: COMMIT, siblings: [] })),
    '/api/models/org/broken/revision/main': Buffer.from('<html>not json</html>'),
  };
  for (const [path, body] of Object.entries(files)) {
    routes[`/org/tiny/resolve/${COMMIT}/${path}`] = { body, headers: { 'x-repo-commit': COMMIT } };
  }
  return routes;
}

const temps: string[] = [];
const temp = async () => {
  temps.push(await mkdtemp(join(tmpdir(), 'xling-hub-')));
  return temps.at(-1)!;
};
afterEach(async () => {
  for (const dir of temps.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh HF_HOME: the tests never read the machine's own Hugging Face settings or token. */
const freshHome = async () => {
  const home = await temp();
  return { home, hub: join(home, 'hub'), env: { HF_HOME: home } };
};
const repoDir = (hub: string) => join(hub, 'models--org--tiny');
const snapshotDir = (hub: string) => join(repoDir(hub), 'snapshots', COMMIT);

/** Fills `hub` as Python's `huggingface_hub` would: blobs, relative links in the snapshot, refs/main. */
async function prefill(hub: string, paths: string[]) {
  for (const path of paths) {
    const blob = join(repoDir(hub), 'blobs', blobId(path));
    const pointer = join(snapshotDir(hub), path);
    await mkdir(dirname(blob), { recursive: true });
    await mkdir(dirname(pointer), { recursive: true });
    await writeFile(blob, files[path]!);
    await symlink(join(...path.split('/').map(() => '..'), '..', '..', 'blobs', blobId(path)), pointer);
  }
  await mkdir(join(repoDir(hub), 'refs'), { recursive: true });
  await writeFile(join(repoDir(hub), 'refs', 'main'), COMMIT);
}

describe('downloadModel(repo, options)', () => {
  let server: FileServer;
  let endpoint: string;
  beforeAll(async () => {
    server = await serveFiles(hubRoutes());
    endpoint = server.url;
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(() => server.close());

  it('downloadModel(repo, { cacheDir, endpoint }) fetches the files of the index, checks sha256 and reports progress', async () => {
    const { hub: cacheDir, env } = await freshHome();
    const events: ProgressEvent[] = [];
    const result = await downloadModel('org/tiny', {
      cacheDir,
      endpoint,
      env,
      onProgress: (e) => events.push(e),
    });
    expect(result).toMatchObject({ dir: snapshotDir(cacheDir), commit: COMMIT });
    expect(result.files.map((f) => f.path).sort()).toEqual(['config.json', LFS, 'tokenizer.json']);
    expect(readFileSync(join(result.dir, LFS)).equals(files[LFS]!)).toBe(true);
    expect(result.files.find((f) => f.path === LFS)).toMatchObject({
      bytes: 50_000,
      cached: false,
      sha256: sha(files[LFS]!),
    });
    expect(server.requests.map((r) => r.path)).toEqual([
      INDEX_PATH,
      `/org/tiny/resolve/${COMMIT}/config.json`,
      `/org/tiny/resolve/${COMMIT}/tokenizer.json`,
      `/org/tiny/resolve/${COMMIT}/${LFS}`,
    ]);
    expect(
      events.some(
        (e) =>
          e.status === 'progress' &&
          e.task === 'download' &&
          e.label === LFS &&
          e.unit === 'byte' &&
          e.total === 50_000,
      ),
    ).toBe(true);
    expect(events.filter((e) => e.status === 'end').map((e) => e.label)).toHaveLength(3);

    server.requests.length = 0;
    const again = await downloadModel('org/tiny', { cacheDir, endpoint, env });
    expect(again.files.every((f) => f.cached)).toBe(true);
    expect(server.requests.map((r) => r.path)).toEqual([INDEX_PATH]);
  });

  it('downloadModel(repo, options) fills the huggingface_hub layout: blobs, relative snapshot links, refs', async () => {
    const { hub, env } = await freshHome();
    await downloadModel('org/tiny', { endpoint, env });
    const repo = repoDir(hub);
    expect(readFileSync(join(repo, 'refs', 'main'), 'utf8')).toBe(COMMIT);
    for (const path of ['config.json', 'tokenizer.json', LFS]) {
      const pointer = join(snapshotDir(hub), path);
      expect(lstatSync(pointer).isSymbolicLink()).toBe(true);
      const up = path === LFS ? '../../../' : '../../';
      expect(readlinkSync(pointer)).toBe(`${up}blobs/${blobId(path)}`);
      expect(readFileSync(join(repo, 'blobs', blobId(path))).equals(files[path]!)).toBe(true);
    }
    expect(existsSync(join(repo, 'blobs', `${blobId(LFS)}.part`))).toBe(false);
  });

  it('downloadModel(repo, options) uses a cache that huggingface_hub filled: no file is fetched, offline not even the index', async () => {
    const { hub, env } = await freshHome();
    await prefill(hub, ['config.json', 'tokenizer.json', LFS]);
    const online = await downloadModel('org/tiny', { endpoint, env });
    expect(server.requests.map((r) => r.path)).toEqual([INDEX_PATH]);
    expect(online.files.every((f) => f.cached)).toBe(true);
    expect(online.dir).toBe(snapshotDir(hub));

    server.requests.length = 0;
    const offline = await downloadModel('org/tiny', { endpoint, env: { ...env, HF_HUB_OFFLINE: '1' } });
    const byCommit = await downloadModel('org/tiny', {
      endpoint,
      env,
      revision: COMMIT,
      files: ['config.json', LFS],
    });
    expect(server.requests).toEqual([]);
    expect(offline).toMatchObject({ dir: snapshotDir(hub), commit: COMMIT });
    expect(offline.files.map((f) => f.path).sort()).toEqual(['config.json', LFS, 'tokenizer.json']);
    expect(offline.files.find((f) => f.path === LFS)).toMatchObject({
      cached: true,
      sha256: sha(files[LFS]!),
    });
    expect(byCommit.files.map((f) => f.cached)).toEqual([true, true]);
  });

  it('downloadModel(repo, options) links a blob already in the cache without fetching it', async () => {
    const { hub, env } = await freshHome();
    await prefill(hub, [LFS]);
    await rm(join(snapshotDir(hub), LFS));
    const result = await downloadModel('org/tiny', { endpoint, env, files: [LFS] });
    expect(server.requests.map((r) => r.path)).toEqual([INDEX_PATH]);
    expect(result.files).toEqual([{ path: LFS, bytes: 50_000, cached: true, sha256: sha(files[LFS]!) }]);
    expect(lstatSync(join(snapshotDir(hub), LFS)).isSymbolicLink()).toBe(true);
  });

  it('downloadModel(repo, { offline }) throws XLING_DOWNLOAD_FAILED without a request when the cache lacks the model', async () => {
    const { env } = await freshHome();
    await expect(downloadModel('org/tiny', { endpoint, env, offline: true })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/offline .*'org\/tiny' at 'main' is not complete in the cache/),
    });
    expect(server.requests).toEqual([]);
  });

  it('downloadModel(repo, { files, sha256 }) resumes a partial blob with a Range request', async () => {
    const { hub, env } = await freshHome();
    const blobs = join(repoDir(hub), 'blobs');
    await mkdir(blobs, { recursive: true });
    await writeFile(join(blobs, `${blobId(LFS)}.part`), files[LFS]!.subarray(0, 12_345));
    await downloadModel('org/tiny', { endpoint, env, files: [LFS], sha256: { [LFS]: sha(files[LFS]!) } });
    expect(server.requests.map(({ path, range }) => ({ path, range }))).toEqual([
      { path: INDEX_PATH, range: undefined },
      { path: `/org/tiny/resolve/${COMMIT}/${LFS}`, range: 'bytes=12345-' },
    ]);
    expect(readFileSync(join(snapshotDir(hub), LFS)).equals(files[LFS]!)).toBe(true);
    expect(existsSync(join(blobs, `${blobId(LFS)}.part`))).toBe(false);
  });

  it('downloadModel(repo, options) downloads again a cached file whose sha256 does not match', async () => {
    const { hub, env } = await freshHome();
    await mkdir(join(snapshotDir(hub), 'onnx'), { recursive: true });
    await writeFile(join(snapshotDir(hub), LFS), 'stale');
    await writeFile(join(snapshotDir(hub), 'README.md'), 'kept: no sha256 is known for it');
    const result = await downloadModel('org/tiny', { endpoint, env, files: [LFS, 'README.md'] });
    expect(result.files.map((f) => f.cached)).toEqual([false, true]);
    expect(readFileSync(join(snapshotDir(hub), LFS)).equals(files[LFS]!)).toBe(true);
    expect(readFileSync(join(snapshotDir(hub), 'README.md'), 'utf8')).toMatch(/^kept/);
  });

  it('downloadModel(repo, options) throws XLING_CHECKSUM_MISMATCH and keeps no file', async () => {
    const { hub, env } = await freshHome();
    const wrong = '0'.repeat(64);
    await expect(
      downloadModel('org/tiny', { endpoint, env, files: ['config.json'], sha256: { 'config.json': wrong } }),
    ).rejects.toMatchObject({
      code: 'XLING_CHECKSUM_MISMATCH',
      expected: wrong,
      actual: sha(files['config.json']!),
      message: expect.stringMatching(/SHA-256 of .*[0-9a-f]{40} is [0-9a-f]{64}, but 0{64} was expected/),
    });
    expect(existsSync(join(snapshotDir(hub), 'config.json'))).toBe(false);
    expect(existsSync(join(repoDir(hub), 'blobs', blobId('config.json')))).toBe(false);
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD_FAILED for a file not in the repository or an HTTP error', async () => {
    const { env } = await freshHome();
    await expect(downloadModel('org/tiny', { endpoint, env, files: ['missing.bin'] })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      status: 404,
      message: expect.stringMatching(/missing\.bin failed: 'missing\.bin' is not in 'org\/tiny' at 'main'/),
    });
    await expect(downloadModel('org/nothing', { endpoint, env })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(
        /api\/models\/org\/nothing\/revision\/main\?blobs=true failed: .*HTTP 404/,
      ),
    });
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD_FAILED for an index without matching files or not JSON', async () => {
    const { env } = await freshHome();
    await expect(downloadModel('org/empty', { endpoint, env })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/lists no files matching/),
    });
    await expect(downloadModel('org/broken', { endpoint, env })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/the index is not JSON/),
    });
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD_FAILED for a path escaping the folder, before any request', async () => {
    const { env } = await freshHome();
    await expect(downloadModel('org/tiny', { endpoint, env, files: ['../evil'] })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/refusing to write '\.\.\/evil' outside the model folder/),
    });
    expect(server.requests).toEqual([]);
  });

  it('downloadModel(repo, options) throws XLING_ABORTED for an aborted signal', async () => {
    const { env } = await freshHome();
    const controller = new AbortController();
    controller.abort();
    await expect(
      downloadModel('org/tiny', { endpoint, env, files: ['config.json'], signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
  });

  it('downloadModel(repo, options) throws XLING_INVALID_ARGUMENT for a bad repo, revision or options', async () => {
    const { env } = await freshHome();
    await expect(downloadModel('no-slash', { endpoint, env })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/must look like 'owner\/name'/),
    });
    await expect(downloadModel('../..', { endpoint, env })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
    for (const revision of ['../../x', 'a//b', '/main', '']) {
      await expect(downloadModel('org/tiny', { endpoint, env, revision })).rejects.toMatchObject({
        code: 'XLING_INVALID_ARGUMENT',
        message: expect.stringMatching(/options\.revision/),
      });
    }
    await expect(
      downloadModel('org/tiny', { endpoint, env, sha256: { 'config.json': 'abc' } }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/64 hex digits/),
    });
    await expect(
      downloadModel('org/tiny', { endpoint, env, fetch: globalThis.fetch } as never),
    ).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
    expect(server.requests).toEqual([]);
  });
});

describe('downloadModel(repo) and the Hugging Face environment', () => {
  it('downloadModel(repo) finds everything in the cache when the hub has gone away', async () => {
    const { hub, env } = await freshHome();
    const server = await serveFiles(hubRoutes());
    const first = await downloadModel('org/tiny', { endpoint: server.url, env });
    await server.close();
    // Retries are asked for, yet a hub that fails with the revision cached means the cache at once.
    const again = await downloadModel('org/tiny', { endpoint: server.url, env, retries: 4 });
    expect(again).toMatchObject({ dir: snapshotDir(hub), commit: COMMIT });
    const paths = (result: typeof first) => result.files.map((f) => [f.path, f.bytes]).sort();
    expect(paths(again)).toEqual(paths(first));
    expect(again.files.every((f) => f.cached)).toBe(true);
    expect(again.files.find((f) => f.path === LFS)?.sha256).toBe(sha(files[LFS]!));
  });

  it('downloadModel(repo) reads HF_HOME, HF_HUB_CACHE, HF_ENDPOINT and HF_TOKEN; options win', async () => {
    const server = await serveFiles(hubRoutes());
    try {
      const { home, env } = await freshHome();
      const include = /^config\.json$/;
      const viaHome = await downloadModel('org/tiny', {
        include,
        env: { ...env, HF_ENDPOINT: server.url, HF_TOKEN: 'hf_env' },
      });
      expect(viaHome.dir).toBe(snapshotDir(join(home, 'hub')));
      expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer hf_env', 'Bearer hf_env']);

      const other = await temp();
      const viaCache = await downloadModel('org/tiny', {
        include,
        token: 'hf_option',
        env: { ...env, HF_ENDPOINT: server.url, HF_HUB_CACHE: other, HF_TOKEN: 'hf_env' },
      });
      expect(viaCache.dir).toBe(snapshotDir(other));
      expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer hf_option');

      const explicit = await temp();
      const viaOption = await downloadModel('org/tiny', {
        include,
        cacheDir: explicit,
        endpoint: server.url,
        env: { ...env, HF_ENDPOINT: 'http://127.0.0.1:9', HF_HUB_CACHE: other },
      });
      expect(viaOption.dir).toBe(snapshotDir(explicit));
    } finally {
      await server.close();
    }
  });

  it('downloadModel(repo) sends the token of $HF_HOME/token to the hub, never to the CDN it redirects to', async () => {
    const cdn = await serveFiles({ '/blob': files[LFS]! });
    const routes = hubRoutes();
    routes[`/org/tiny/resolve/${COMMIT}/${LFS}`] = { body: Buffer.alloc(0), redirect: `${cdn.url}/blob` };
    const server = await serveFiles(routes);
    try {
      const { home, env } = await freshHome();
      await writeFile(join(home, 'token'), 'hf_from_file\n');
      const result = await downloadModel('org/tiny', { endpoint: server.url, env, files: [LFS] });
      expect(server.requests.map((r) => r.headers.authorization)).toEqual([
        'Bearer hf_from_file',
        'Bearer hf_from_file',
      ]);
      expect(cdn.requests).toHaveLength(1);
      expect(cdn.requests[0]?.headers.authorization).toBeUndefined();
      expect(result.files[0]).toMatchObject({ cached: false, sha256: sha(files[LFS]!) });
    } finally {
      await server.close();
      await cdn.close();
    }
  });
});
