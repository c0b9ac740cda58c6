import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../progress/progress-event.js';
import { type FileServer, serveFiles } from '../testing/serve-files.js';
import { downloadFile } from './download-file.js';

const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
const sha = createHash('sha256').update(body).digest('hex');
let server: FileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const temp = () => mkdtempSync(join(tmpdir(), 'xling-dl-'));

describe('downloadFile', () => {
  it('downloadFile(url, destination) writes the file, verifies SHA-256 and reports byte progress', async () => {
    server = await serveFiles({ '/data.bin': body });
    const events: ProgressEvent[] = [];
    const destination = join(temp(), 'sub', 'data.bin');
    const result = await downloadFile(`${server.url}/data.bin`, destination, {
      sha256: sha,
      onProgress: (e) => events.push(e),
    });
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(result).toMatchObject({ bytes: body.length, sha256: sha, resumedFrom: 0 });
    expect(existsSync(`${destination}.part`)).toBe(false);
    expect(events[0]).toMatchObject({ status: 'start', task: 'download', total: body.length, unit: 'byte' });
    expect(events.at(-1)).toMatchObject({ status: 'end', done: body.length });
    const progress = events.filter((e) => e.status === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({
      done: body.length,
      metrics: { bytesPerSecond: expect.any(Number) },
    });
  });

  it('downloadFile(url, destination) resumes an interrupted transfer with a Range request', async () => {
    server = await serveFiles({ '/data.bin': { body, cutAfter: 65_536 } });
    const destination = join(temp(), 'data.bin');
    const first = await downloadFile(`${server.url}/data.bin`, destination, { sha256: sha }).catch((e) => e);
    expect(first).toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/run again to resume/),
    });
    expect(existsSync(destination)).toBe(false);
    const partial = statSync(`${destination}.part`).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(body.length);
    const second = await downloadFile(`${server.url}/data.bin`, destination, { sha256: sha });
    expect(second.resumedFrom).toBe(partial);
    expect(server.requests.map((r) => r.range)).toEqual([undefined, `bytes=${partial}-`]);
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('downloadFile(url, destination) starts over when the server ignores Range', async () => {
    server = await serveFiles({ '/data.bin': { body, ignoreRange: true } });
    const destination = join(temp(), 'data.bin');
    writeFileSync(`${destination}.part`, 'garbage that is not the start of the file');
    const result = await downloadFile(`${server.url}/data.bin`, destination, { sha256: sha });
    expect(result.resumedFrom).toBe(0);
    expect(readFileSync(destination).equals(body)).toBe(true);
  });

  it('downloadFile(url, destination) accepts a complete part file (HTTP 416)', async () => {
    server = await serveFiles({ '/data.bin': body });
    const destination = join(temp(), 'data.bin');
    writeFileSync(`${destination}.part`, body);
    const result = await downloadFile(`${server.url}/data.bin`, destination, { sha256: sha });
    expect(result).toMatchObject({ resumedFrom: body.length, bytes: body.length, sha256: sha });
    expect(readFileSync(destination).equals(body)).toBe(true);
  });

  it('downloadFile(url, destination) throws XLING_CHECKSUM_MISMATCH and leaves no file', async () => {
    server = await serveFiles({ '/data.bin': body });
    const destination = join(temp(), 'data.bin');
    const wrong = 'ab'.repeat(32);
    await expect(
      downloadFile(`${server.url}/data.bin`, destination, { sha256: wrong }),
    ).rejects.toMatchObject({
      code: 'XLING_CHECKSUM_MISMATCH',
      expected: wrong,
      actual: sha,
      message: expect.stringMatching(/SHA-256 of .*data\.bin is [0-9a-f]{64}, but (ab){32} was expected/),
    });
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.part`)).toBe(false);
  });

  it('downloadFile(url, destination) follows redirects and fails clearly on HTTP errors', async () => {
    server = await serveFiles({
      '/old': { body, redirect: '/data.bin' },
      '/data.bin': body,
      '/gone': { body, status: 500 },
    });
    const destination = join(temp(), 'data.bin');
    const result = await downloadFile(`${server.url}/old`, destination);
    expect(result.url).toBe(`${server.url}/data.bin`);
    await expect(downloadFile(`${server.url}/missing`, join(temp(), 'x'))).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      status: 404,
      message: expect.stringMatching(/answered HTTP 404/),
    });
    await expect(downloadFile(`${server.url}/gone`, join(temp(), 'x'))).rejects.toMatchObject({
      status: 500,
    });
  });

  it('downloadFile(url, destination, { headers }) sends the headers, but credentials only to the same origin', async () => {
    const cdn = await serveFiles({ '/blob': body });
    try {
      server = await serveFiles({ '/file': body, '/moved': { body, redirect: `${cdn.url}/blob` } });
      const headers = { Authorization: 'Bearer secret', 'x-client': 'test', range: 'bytes=5-' };
      const direct = await downloadFile(`${server.url}/file`, join(temp(), 'a'), { headers, sha256: sha });
      expect(direct.resumedFrom).toBe(0);
      expect(server.requests[0]?.headers).toMatchObject({
        authorization: 'Bearer secret',
        'x-client': 'test',
        'accept-encoding': 'identity',
      });
      expect(server.requests[0]?.range).toBeUndefined();
      const moved = await downloadFile(`${server.url}/moved`, join(temp(), 'b'), { headers, sha256: sha });
      expect(moved.url).toBe(`${cdn.url}/blob`);
      expect(server.requests[1]?.headers.authorization).toBe('Bearer secret');
      expect(cdn.requests[0]?.headers.authorization).toBeUndefined();
      expect(cdn.requests[0]?.headers['x-client']).toBe('test');
    } finally {
      await cdn.close();
    }
  });

  it('downloadFile(url, destination) throws XLING_DOWNLOAD_FAILED when nothing listens', async () => {
    server = await serveFiles({});
    const url = `${server.url}/x`;
    await server.close();
    server = undefined;
    await expect(downloadFile(url, join(temp(), 'x'))).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
    });
  });

  it('downloadFile(url, destination) throws XLING_ABORTED for an aborted signal', async () => {
    server = await serveFiles({ '/data.bin': body });
    const controller = new AbortController();
    controller.abort();
    await expect(
      downloadFile(`${server.url}/data.bin`, join(temp(), 'x'), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
  });

  it('downloadFile(url, destination, options) throws XLING_INVALID_ARGUMENT for bad URLs and options', async () => {
    await expect(downloadFile('ftp://127.0.0.1/x', 'x')).rejects.toThrow(/must use http or https/);
    await expect(downloadFile('not a url', 'x')).rejects.toThrow(/must be an absolute http\(s\) URL/);
    await expect(downloadFile('http://127.0.0.1/x', 'x', { sha256: 'abc' })).rejects.toThrow(
      /must be 64 hex digits/,
    );
    await expect(
      downloadFile('http://127.0.0.1/x', 'x', { headers: { authorization: 1 } } as never),
    ).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/options\.headers.*must be an object of string header values/),
    });
    await expect(downloadFile('http://127.0.0.1/x', 'x', { retries: 3 } as never)).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
  });
});
