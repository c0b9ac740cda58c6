import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { type FileRoute, type FileServer, serveFiles } from '@xling/core/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { downloadModel } from './download-model.js';

const files: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type": "bert"}\n'),
  'tokenizer.json': Buffer.from('{"model": {}}\n'),
  'onnx/model.onnx': Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256)),
  'README.md': Buffer.from('# not needed\n'),
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const index = {
  siblings: Object.keys(files).map((rfilename) => ({
    rfilename,
    ...(rfilename.endsWith('.onnx') ? { lfs: { sha256: sha(files[rfilename]) } } : {}),
  })),
};
const routes: Record<string, FileRoute> = {
  '/api/models/org/tiny/revision/main': {
    body: Buffer.from(JSON.stringify(index)),
    headers: { 'content-type': 'application/json' },
  },
  '/api/models/org/empty/revision/main': Buffer.from('{"siblings": []}'),
  '/api/models/org/broken/revision/main': Buffer.from('<html>not json</html>'),
};
for (const [path, body] of Object.entries(files)) routes[`/org/tiny/resolve/main/${path}`] = body;
const cache = () => mkdtemp(join(tmpdir(), 'xling-hub-'));

describe('downloadModel(repo, options)', () => {
  let server: FileServer;
  let endpoint: string;
  beforeAll(async () => {
    server = await serveFiles(routes);
    endpoint = server.url;
  });
  beforeEach(() => {
    server.requests.length = 0;
  });
  afterAll(() => server.close());

  it('downloadModel(repo, { cacheDir, endpoint }) fetches the files of the index, checks sha256 and reports progress', async () => {
    const cacheDir = await cache();
    const events: ProgressEvent[] = [];
    const result = await downloadModel('org/tiny', { cacheDir, endpoint, onProgress: (e) => events.push(e) });
    expect(result.dir).toBe(join(cacheDir, 'org', 'tiny', 'main'));
    expect(result.files.map((f) => f.path).sort()).toEqual([
      'config.json',
      'onnx/model.onnx',
      'tokenizer.json',
    ]);
    expect(readFileSync(join(result.dir, 'onnx/model.onnx')).equals(files['onnx/model.onnx'])).toBe(true);
    expect(result.files.find((f) => f.path === 'onnx/model.onnx')).toMatchObject({
      bytes: 50_000,
      cached: false,
      sha256: sha(files['onnx/model.onnx']),
    });
    expect(existsSync(join(result.dir, 'onnx/model.onnx.part'))).toBe(false);
    expect(server.requests[0]?.path).toBe('/api/models/org/tiny/revision/main?blobs=true');
    expect(
      events.some(
        (e) =>
          e.status === 'progress' &&
          e.task === 'download' &&
          e.label === 'onnx/model.onnx' &&
          e.unit === 'byte' &&
          e.total === 50_000,
      ),
    ).toBe(true);
    expect(events.filter((e) => e.status === 'end').map((e) => e.label)).toHaveLength(3);

    server.requests.length = 0;
    const again = await downloadModel('org/tiny', { cacheDir, endpoint });
    expect(again.files.every((f) => f.cached)).toBe(true);
    expect(server.requests.map((r) => r.path)).toEqual(['/api/models/org/tiny/revision/main?blobs=true']);
  });

  it('downloadModel(repo, { files, sha256 }) resumes a partial file with a Range request', async () => {
    const cacheDir = await cache();
    const dir = join(cacheDir, 'org', 'tiny', 'main');
    await mkdir(join(dir, 'onnx'), { recursive: true });
    await writeFile(join(dir, 'onnx/model.onnx.part'), files['onnx/model.onnx'].subarray(0, 12_345));
    await downloadModel('org/tiny', {
      cacheDir,
      endpoint,
      files: ['onnx/model.onnx'],
      sha256: { 'onnx/model.onnx': sha(files['onnx/model.onnx']) },
    });
    expect(server.requests.map(({ path, range }) => ({ path, range }))).toEqual([
      { path: '/org/tiny/resolve/main/onnx/model.onnx', range: 'bytes=12345-' },
    ]);
    expect(readFileSync(join(dir, 'onnx/model.onnx')).equals(files['onnx/model.onnx'])).toBe(true);
    expect(existsSync(join(dir, 'onnx/model.onnx.part'))).toBe(false);
  });

  it('downloadModel(repo, { sha256 }) downloads again a cached file whose sha256 does not match', async () => {
    const cacheDir = await cache();
    const dir = join(cacheDir, 'org', 'tiny', 'main');
    await mkdir(join(dir, 'onnx'), { recursive: true });
    await writeFile(join(dir, 'onnx/model.onnx'), 'stale');
    await writeFile(join(dir, 'README.md'), 'kept: no sha256 is known for it');
    const result = await downloadModel('org/tiny', {
      cacheDir,
      endpoint,
      files: ['onnx/model.onnx', 'README.md'],
      sha256: { 'onnx/model.onnx': sha(files['onnx/model.onnx']) },
    });
    expect(result.files.map((f) => f.cached)).toEqual([false, true]);
    expect(readFileSync(join(dir, 'onnx/model.onnx')).equals(files['onnx/model.onnx'])).toBe(true);
  });

  it('downloadModel(repo, { token }) sends the token as a bearer header', async () => {
    const cacheDir = await cache();
    await downloadModel('org/tiny', { cacheDir, endpoint, token: 'hf_secret', include: /^config\.json$/ });
    expect(server.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/api/models/org/tiny/revision/main?blobs=true', 'Bearer hf_secret'],
      ['/org/tiny/resolve/main/config.json', 'Bearer hf_secret'],
    ]);
  });

  it('downloadModel(repo, { sha256 }) throws XLING_CHECKSUM_MISMATCH and keeps no file', async () => {
    const cacheDir = await cache();
    const wrong = '0'.repeat(64);
    await expect(
      downloadModel('org/tiny', {
        cacheDir,
        endpoint,
        files: ['config.json'],
        sha256: { 'config.json': wrong },
      }),
    ).rejects.toMatchObject({
      code: 'XLING_CHECKSUM_MISMATCH',
      expected: wrong,
      actual: sha(files['config.json']),
      message: expect.stringMatching(/SHA-256 of .*config\.json is [0-9a-f]{64}, but 0{64} was expected/),
    });
    const dir = join(cacheDir, 'org', 'tiny', 'main');
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    expect(existsSync(join(dir, 'config.json.part'))).toBe(false);
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD_FAILED for an HTTP error, naming the address', async () => {
    const cacheDir = await cache();
    await expect(
      downloadModel('org/tiny', { cacheDir, endpoint, files: ['missing.bin'] }),
    ).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      status: 404,
      message: expect.stringMatching(/missing\.bin failed: the server answered HTTP 404/),
    });
    await expect(downloadModel('org/nothing', { cacheDir, endpoint })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(
        /api\/models\/org\/nothing\/revision\/main\?blobs=true failed: .*HTTP 404/,
      ),
    });
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD_FAILED for an index without matching files or not JSON', async () => {
    const cacheDir = await cache();
    await expect(downloadModel('org/empty', { cacheDir, endpoint })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/lists no files matching/),
    });
    await expect(downloadModel('org/broken', { cacheDir, endpoint })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/the index is not JSON/),
    });
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD_FAILED for a path escaping the folder', async () => {
    const cacheDir = await cache();
    await expect(downloadModel('org/tiny', { cacheDir, endpoint, files: ['../evil'] })).rejects.toMatchObject(
      {
        code: 'XLING_DOWNLOAD_FAILED',
        message: expect.stringMatching(/refusing to write '\.\.\/evil' outside the model folder/),
      },
    );
    expect(server.requests).toEqual([]);
  });

  it('downloadModel(repo, options) throws XLING_ABORTED for an aborted signal', async () => {
    const cacheDir = await cache();
    const controller = new AbortController();
    controller.abort();
    await expect(
      downloadModel('org/tiny', { cacheDir, endpoint, files: ['config.json'], signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
  });

  it('downloadModel(repo, options) throws XLING_INVALID_ARGUMENT for a bad repo, revision or options', async () => {
    const cacheDir = await cache();
    await expect(downloadModel('no-slash', { cacheDir, endpoint })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/must look like 'owner\/name'/),
    });
    await expect(downloadModel('../..', { cacheDir, endpoint })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
    await expect(
      downloadModel('org/tiny', { cacheDir, endpoint, revision: '../../x' }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/options\.revision/),
    });
    await expect(
      downloadModel('org/tiny', { cacheDir, endpoint, sha256: { 'config.json': 'abc' } }),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/64 hex digits/),
    });
    await expect(
      downloadModel('org/tiny', { cacheDir, endpoint, fetch: globalThis.fetch } as never),
    ).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
    expect(server.requests).toEqual([]);
  });
});
