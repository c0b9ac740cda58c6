import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../progress/progress-event.js';
import { type FileRoute, type FileServer, serveFiles } from '../testing/serve-files.js';
import { downloadFile } from './download-file.js';

const body = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
/** A second version of the file, of the same length: a splice of the two would pass a length check. */
const changed = Buffer.from(body.map((byte) => 250 - byte));
const sha = createHash('sha256').update(body).digest('hex');
const shaOf = (data: Buffer) => createHash('sha256').update(data).digest('hex');
let server: FileServer | undefined;
let rawServer: { close(): Promise<void> } | undefined;

/** A loopback server whose answers are raw bytes (then the connection closes), for faulty servers. */
async function serveRaw(answer: (headers: IncomingMessage['headers'], count: number) => Buffer) {
  const requests: IncomingMessage['headers'][] = [];
  const http = createServer((request) => {
    requests.push(request.headers);
    request.socket.end(answer(request.headers, requests.length));
  });
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done));
  const raw = {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        http.closeAllConnections();
        http.close(() => done());
      }),
  };
  rawServer = raw;
  return raw;
}

const response = (status: string, headers: Record<string, string | number>, data: Buffer) =>
  Buffer.concat([
    Buffer.from(
      `HTTP/1.1 ${status}\r\n${Object.entries(headers)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}\r\n`,
    ),
    data,
  ]);

/**
 * Serves `file` like a correct server: a Range is honoured unless If-Range names another ETag,
 * then the whole file comes with 200. The first answer is cut after `cut` bytes.
 */
function serveWithIfRange(file: { body: Buffer; etag: string }, cut: number) {
  return serveRaw((headers, count) => {
    const range = /^bytes=(\d+)-$/.exec(headers.range ?? '');
    const valid = headers['if-range'] === undefined || headers['if-range'] === file.etag;
    const start = range && valid ? Number(range[1]) : 0;
    const length = file.body.length;
    const data =
      start > 0
        ? response(
            '206 Partial Content',
            {
              etag: file.etag,
              'content-length': length - start,
              'content-range': `bytes ${start}-${length - 1}/${length}`,
            },
            file.body.subarray(start),
          )
        : response('200 OK', { etag: file.etag, 'content-length': length }, file.body);
    return count === 1 ? data.subarray(0, cut) : data;
  });
}
afterEach(async () => {
  await server?.close();
  await rawServer?.close();
  server = undefined;
  rawServer = undefined;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temps: string[] = [];
const temp = () => {
  temps.push(mkdtempSync(join(tmpdir(), 'xling-dl-')));
  return temps.at(-1)!;
};

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
    await expect(downloadFile('http://exa mple.org/x', 'x')).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/'http:\/\/exa mple\.org\/x'/),
    });
    await expect(
      downloadFile('http://127.0.0.1/x', 'x', { headers: { 'x-a': 'one\r\ntwo' } }),
    ).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
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

describe('downloadFile integrity without a checksum', () => {
  it('downloadFile(url, destination) resumes with If-Range and the ETag recorded when the part file began', async () => {
    const file = { body, etag: '"v1"' };
    const raw = await serveWithIfRange(file, 70_000);
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${raw.url}/f`, destination)).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
    });
    expect(JSON.parse(readFileSync(`${destination}.part.meta`, 'utf8'))).toMatchObject({ etag: '"v1"' });
    const partial = statSync(`${destination}.part`).size;
    const result = await downloadFile(`${raw.url}/f`, destination);
    expect(raw.requests[1]).toMatchObject({ range: `bytes=${partial}-`, 'if-range': '"v1"' });
    expect(result).toMatchObject({ resumedFrom: partial, sha256: sha, verified: false });
    expect(readFileSync(destination).equals(body)).toBe(true);
    expect(existsSync(`${destination}.part.meta`)).toBe(false);
  });

  it('downloadFile(url, destination) fetches a file changed on the server whole, not spliced (If-Range)', async () => {
    const file = { body, etag: '"v1"' };
    const raw = await serveWithIfRange(file, 70_000);
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${raw.url}/f`, destination)).rejects.toThrow(/run again to resume/);
    Object.assign(file, { body: changed, etag: '"v2"' });
    const result = await downloadFile(`${raw.url}/f`, destination);
    expect(raw.requests[1]?.['if-range']).toBe('"v1"');
    expect(result).toMatchObject({ resumedFrom: 0, sha256: shaOf(changed), bytes: changed.length });
    expect(readFileSync(destination).equals(changed)).toBe(true);
  });

  it('downloadFile(url, destination) starts over when a server ignoring If-Range answers 206 with a new ETag', async () => {
    const routes: Record<string, FileRoute> = {
      '/f': { body, cutAfter: 70_000, headers: { etag: '"v1"' } },
    };
    server = await serveFiles(routes);
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${server.url}/f`, destination)).rejects.toThrow(/run again to resume/);
    routes['/f'] = { body: changed, headers: { etag: '"v2"' } };
    const result = await downloadFile(`${server.url}/f`, destination);
    expect(server.requests.map((r) => r.range)).toEqual([
      undefined,
      expect.stringMatching(/^bytes=\d+-$/),
      undefined,
    ]);
    expect(result.resumedFrom).toBe(0);
    expect(readFileSync(destination).equals(changed)).toBe(true);
  });

  it('downloadFile(url, destination) sends Last-Modified as If-Range when there is no strong ETag', async () => {
    const lastModified = 'Wed, 01 Jan 2025 00:00:00 GMT';
    server = await serveFiles({
      '/f': { body, cutAfter: 70_000, headers: { etag: 'W/"weak"', 'last-modified': lastModified } },
    });
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${server.url}/f`, destination)).rejects.toThrow(/run again to resume/);
    const result = await downloadFile(`${server.url}/f`, destination);
    expect(server.requests[1]?.headers['if-range']).toBe(lastModified);
    expect(result.resumedFrom).toBeGreaterThan(0);
    expect(readFileSync(destination).equals(body)).toBe(true);
  });

  it('downloadFile(url, destination) starts over from a part file that nothing validates', async () => {
    server = await serveFiles({ '/f': body });
    const destination = join(temp(), 'data.bin');
    writeFileSync(`${destination}.part`, changed.subarray(0, 1000));
    const result = await downloadFile(`${server.url}/f`, destination);
    expect(server.requests.map((r) => r.range)).toEqual([undefined]);
    expect(result.resumedFrom).toBe(0);
    expect(readFileSync(destination).equals(body)).toBe(true);
  });

  it('downloadFile(url, destination) throws XLING_DOWNLOAD_FAILED for a body cut short, keeping the part file', async () => {
    const raw = await serveRaw(() =>
      response('200 OK', { 'content-length': body.length }, body.subarray(0, 5000)),
    );
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${raw.url}/f`, destination)).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/transfer interrupted after \d+ bytes.*run again to resume/),
    });
    expect(statSync(`${destination}.part`).size).toBeLessThanOrEqual(5000);
    expect(existsSync(destination)).toBe(false);
  });

  it('downloadFile(url, destination) throws XLING_DOWNLOAD_FAILED when the server sends more than its Content-Length', async () => {
    const raw = await serveRaw(() => response('200 OK', { 'content-length': 1000 }, body));
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${raw.url}/f`, destination)).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/sent more data than the 1000 bytes it announced/),
    });
    expect(existsSync(destination)).toBe(false);
  });

  it('downloadFile(url, destination) throws XLING_DOWNLOAD_FAILED when a range ends before the Content-Range total', async () => {
    const raw = await serveRaw(() =>
      response(
        '206 Partial Content',
        { 'content-length': 100, 'content-range': `bytes 1000-1099/${body.length}` },
        body.subarray(1000, 1100),
      ),
    );
    const destination = join(temp(), 'data.bin');
    writeFileSync(`${destination}.part`, body.subarray(0, 1000));
    await expect(downloadFile(`${raw.url}/f`, destination, { sha256: sha })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/transfer ended after 1100 of 200000 bytes/),
    });
    expect(statSync(`${destination}.part`).size).toBe(1100);
  });

  it('downloadFile(url, destination) throws XLING_DOWNLOAD_FAILED for a malformed or non-http redirect', async () => {
    const raw = await serveRaw((_, count) =>
      response(
        '302 Found',
        { location: count === 1 ? 'http://[bad' : 'file:///etc/passwd', 'content-length': 0 },
        Buffer.alloc(0),
      ),
    );
    await expect(downloadFile(`${raw.url}/f`, join(temp(), 'x'))).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      message: expect.stringMatching(/redirected to the malformed URL 'http:\/\/\[bad'/),
    });
    await expect(downloadFile(`${raw.url}/f`, join(temp(), 'x'))).rejects.toThrow(
      /redirected to 'file:\/\/\/etc\/passwd', which is not http\(s\)/,
    );
  });
});

describe('downloadFile file-system faults', () => {
  it.skipIf(!existsSync('/dev/full'))(
    'downloadFile(url, destination) throws XLING_FILE_SYSTEM (ENOSPC) when the disk is full',
    async () => {
      server = await serveFiles({ '/f': body });
      const destination = join(temp(), 'data.bin');
      symlinkSync('/dev/full', `${destination}.part`);
      await expect(downloadFile(`${server.url}/f`, destination)).rejects.toMatchObject({
        code: 'XLING_FILE_SYSTEM',
        systemCode: 'ENOSPC',
        path: `${destination}.part`,
        message: expect.stringMatching(/disk is full/),
      });
    },
  );

  it('downloadFile(url, destination) throws XLING_FILE_SYSTEM for a destination under a file or that is a folder', async () => {
    server = await serveFiles({ '/f': body });
    const dir = temp();
    writeFileSync(join(dir, 'file'), '');
    await expect(downloadFile(`${server.url}/f`, join(dir, 'file', 'data.bin'))).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      systemCode: expect.stringMatching(/^(ENOTDIR|EEXIST)$/),
    });
    mkdirSync(join(dir, 'folder'));
    await expect(downloadFile(`${server.url}/f`, join(dir, 'folder'))).rejects.toMatchObject({
      code: 'XLING_FILE_SYSTEM',
      path: join(dir, 'folder'),
    });
  });
});
