import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadModel } from './download-model.js';

const files: Record<string, Buffer> = {
  'config.json': Buffer.from('{"model_type": "bert"}\n'),
  'tokenizer.json': Buffer.from('{"model": {}}\n'),
  'onnx/model.onnx': Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256)),
  'README.md': Buffer.from('# not needed\n'),
};
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('downloadModel(repo, options)', () => {
  let server: Server;
  let endpoint: string;
  const requests: Array<{ url: string; range?: string }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      const url = request.url ?? '';
      requests.push({ url, range: request.headers.range });
      if (url.startsWith('/api/models/org/tiny/revision/main')) {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            siblings: Object.keys(files).map((rfilename) => ({
              rfilename,
              ...(rfilename.endsWith('.onnx') ? { lfs: { sha256: sha(files[rfilename]) } } : {}),
            })),
          }),
        );
        return;
      }
      const match = /^\/org\/tiny\/resolve\/main\/(.+)$/.exec(url);
      const body = match ? files[match[1]] : undefined;
      if (!body) {
        response.statusCode = 404;
        response.end('not found');
        return;
      }
      const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
      if (range) {
        const start = Number(range[1]);
        response.statusCode = 206;
        response.setHeader('content-range', `bytes ${start}-${body.length - 1}/${body.length}`);
        response.setHeader('content-length', String(body.length - start));
        response.end(body.subarray(start));
        return;
      }
      response.setHeader('content-length', String(body.length));
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the files of the index into the cache, checks sha256 and reports progress', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'xling-hub-'));
    const events: ProgressEvent[] = [];
    const result = await downloadModel('org/tiny', { cacheDir, endpoint, onProgress: (e) => events.push(e) });
    expect(result.dir).toBe(join(cacheDir, 'org', 'tiny', 'main'));
    expect(result.files.map((f) => f.path).sort()).toEqual([
      'config.json',
      'onnx/model.onnx',
      'tokenizer.json',
    ]);
    expect(readFileSync(join(result.dir, 'onnx/model.onnx')).equals(files['onnx/model.onnx'])).toBe(true);
    expect(result.files.find((f) => f.path === 'onnx/model.onnx')!.sha256).toBe(
      sha(files['onnx/model.onnx']),
    );
    expect(events.some((e) => e.status === 'progress' && e.unit === 'byte' && e.total === 50_000)).toBe(true);
    const again = await downloadModel('org/tiny', { cacheDir, endpoint });
    expect(again.files.every((f) => f.cached)).toBe(true);
  });

  it('resumes a partial download with a Range request', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'xling-hub-'));
    const dir = join(cacheDir, 'org', 'tiny', 'main');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'onnx'), { recursive: true });
    await writeFile(join(dir, 'onnx/model.onnx.incomplete'), files['onnx/model.onnx'].subarray(0, 12_345));
    requests.length = 0;
    await downloadModel('org/tiny', {
      cacheDir,
      endpoint,
      files: ['onnx/model.onnx'],
      sha256: { 'onnx/model.onnx': sha(files['onnx/model.onnx']) },
    });
    expect(requests).toEqual([{ url: '/org/tiny/resolve/main/onnx/model.onnx', range: 'bytes=12345-' }]);
    expect(readFileSync(join(dir, 'onnx/model.onnx')).equals(files['onnx/model.onnx'])).toBe(true);
    expect(existsSync(join(dir, 'onnx/model.onnx.incomplete'))).toBe(false);
  });

  it('downloadModel(repo, { sha256 }) throws XLING_DOWNLOAD on a checksum mismatch and keeps no file', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'xling-hub-'));
    await expect(
      downloadModel('org/tiny', {
        cacheDir,
        endpoint,
        files: ['config.json'],
        sha256: { 'config.json': '0'.repeat(64) },
      }),
    ).rejects.toMatchObject({ code: 'XLING_DOWNLOAD', message: /Checksum of 'config\.json'/ });
    expect(existsSync(join(cacheDir, 'org', 'tiny', 'main', 'config.json'))).toBe(false);
  });

  it('downloadModel(repo, options) throws XLING_DOWNLOAD for an HTTP error, naming the address', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'xling-hub-'));
    await expect(
      downloadModel('org/tiny', { cacheDir, endpoint, files: ['missing.bin'] }),
    ).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD',
      message: /missing\.bin answered 404/,
    });
  });

  it('downloadModel(repo, options) throws XLING_INVALID_ARGUMENT for a bad repo name or a path escaping the folder', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'xling-hub-'));
    await expect(downloadModel('no-slash', { cacheDir, endpoint })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
    await expect(downloadModel('org/tiny', { cacheDir, endpoint, files: ['../evil'] })).rejects.toMatchObject(
      { code: 'XLING_DOWNLOAD', message: /outside/ },
    );
  });
});
