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
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, connect, type Socket } from 'node:net';
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

/**
 * A loopback server whose answers are raw bytes, for faulty servers. The connection then closes,
 * or with `stall` stays open without sending more (until the client gives up).
 */
async function serveRaw(
  answer: (headers: IncomingMessage['headers'], count: number) => Buffer,
  { stall = false } = {},
) {
  const requests: IncomingMessage['headers'][] = [];
  const http = createServer((request) => {
    requests.push(request.headers);
    const data = answer(request.headers, requests.length);
    if (stall) request.socket.write(data);
    else request.socket.end(data);
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

const response = (status: string, headers: Record<string, string | number>, data: Buffer = Buffer.alloc(0)) =>
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
/** No automatic retry: these tests show what one attempt leaves for the next call. */
const once = { retries: 0 } as const;
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
    const first = await downloadFile(`${server.url}/data.bin`, destination, { sha256: sha, ...once }).catch(
      (e) => e,
    );
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
    await expect(downloadFile(`${server.url}/gone`, join(temp(), 'x'), once)).rejects.toMatchObject({
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
    await expect(downloadFile(url, join(temp(), 'x'), once)).rejects.toMatchObject({
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
    await expect(downloadFile('http://127.0.0.1/x', 'x', { retry: 3 } as never)).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
  });
});

describe('downloadFile integrity without a checksum', () => {
  it('downloadFile(url, destination) resumes with If-Range and the ETag recorded when the part file began', async () => {
    const file = { body, etag: '"v1"' };
    const raw = await serveWithIfRange(file, 70_000);
    const destination = join(temp(), 'data.bin');
    await expect(downloadFile(`${raw.url}/f`, destination, once)).rejects.toMatchObject({
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
    await expect(downloadFile(`${raw.url}/f`, destination, once)).rejects.toThrow(/run again to resume/);
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
    await expect(downloadFile(`${server.url}/f`, destination, once)).rejects.toThrow(/run again to resume/);
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
    await expect(downloadFile(`${server.url}/f`, destination, once)).rejects.toThrow(/run again to resume/);
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
    await expect(downloadFile(`${raw.url}/f`, destination, once)).rejects.toMatchObject({
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
    await expect(downloadFile(`${raw.url}/f`, destination, { sha256: sha, ...once })).rejects.toMatchObject({
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

describe('downloadFile retries', () => {
  /** Quick retries: the waits are still computed and reported, but last a millisecond or so. */
  const quick = { retryDelayMs: 1, retrySeed: 1 } as const;

  it('downloadFile(url, destination) retries HTTP 503 with backoff and gets the file on the third attempt', async () => {
    const raw = await serveRaw((_, count) =>
      count <= 2
        ? response('503 Service Unavailable', { 'content-length': 0 })
        : response('200 OK', { 'content-length': body.length }, body),
    );
    const retries: Array<{ attempt: number; delayMs: number; status?: number }> = [];
    const result = await downloadFile(`${raw.url}/f`, join(temp(), 'data.bin'), {
      ...quick,
      sha256: sha,
      onRetry: ({ attempt, delayMs, error }) => retries.push({ attempt, delayMs, status: error.status }),
    });
    expect(result).toMatchObject({ attempts: 3, bytes: body.length, sha256: sha, resumedFrom: 0 });
    expect(retries).toEqual([
      { attempt: 1, delayMs: expect.any(Number), status: 503 },
      { attempt: 2, delayMs: expect.any(Number), status: 503 },
    ]);
    expect(retries.every(({ delayMs }) => delayMs <= 2)).toBe(true);
    expect(raw.requests).toHaveLength(3);
  });

  it("downloadFile(url, destination) waits the server's Retry-After (capped by maxRetryDelayMs) instead of its backoff", async () => {
    const raw = await serveRaw((_, count) =>
      count === 1
        ? response('429 Too Many Requests', { 'retry-after': 3600, 'content-length': 0 })
        : response('200 OK', { 'content-length': body.length }, body),
    );
    const delays: number[] = [];
    const result = await downloadFile(`${raw.url}/f`, join(temp(), 'data.bin'), {
      ...quick,
      maxRetryDelayMs: 30,
      onRetry: ({ delayMs }) => delays.push(delayMs),
    });
    expect(delays).toEqual([30]);
    expect(result.attempts).toBe(2);
  });

  it('downloadFile(url, destination) resumes a connection reset mid-body in the same call (Range + If-Range)', async () => {
    const raw = await serveWithIfRange({ body, etag: '"v1"' }, 70_000);
    const destination = join(temp(), 'data.bin');
    const problems: string[] = [];
    const result = await downloadFile(`${raw.url}/f`, destination, {
      ...quick,
      onRetry: ({ error }) => problems.push(error.message),
    });
    expect(problems).toEqual([expect.stringMatching(/transfer interrupted after \d+ bytes/)]);
    expect(raw.requests[1]).toMatchObject({
      range: expect.stringMatching(/^bytes=\d+-$/),
      'if-range': '"v1"',
    });
    expect(result).toMatchObject({ attempts: 2, resumedFrom: 0, sha256: sha, verified: false });
    expect(readFileSync(destination).equals(body)).toBe(true);
  });

  it('downloadFile(url, destination) never splices two versions when the file changes between attempts', async () => {
    const file = { body, etag: '"v1"' };
    const raw = await serveWithIfRange(file, 70_000);
    const destination = join(temp(), 'data.bin');
    const result = await downloadFile(`${raw.url}/f`, destination, {
      ...quick,
      onRetry: () => Object.assign(file, { body: changed, etag: '"v2"' }),
    });
    expect(raw.requests[1]?.['if-range']).toBe('"v1"');
    expect(result).toMatchObject({ attempts: 2, sha256: shaOf(changed) });
    expect(readFileSync(destination).equals(changed)).toBe(true);
  });

  it('downloadFile(url, destination, { retries }) gives up after that many attempts in a row without new bytes', async () => {
    const raw = await serveRaw(() => response('502 Bad Gateway', { 'content-length': 0 }));
    await expect(
      downloadFile(`${raw.url}/f`, join(temp(), 'x'), { ...quick, retries: 2 }),
    ).rejects.toMatchObject({ code: 'XLING_DOWNLOAD_FAILED', status: 502 });
    expect(raw.requests).toHaveLength(3);
  });

  it('downloadFile(url, destination, { retries }) does not count an attempt that added bytes to the part file', async () => {
    // Every answer stalls 50 000 bytes after where it began: four attempts, with one retry to spare.
    const raw = await serveRaw(
      (headers) => {
        const start = Number(/^bytes=(\d+)-$/.exec(headers.range ?? '')?.[1] ?? 0);
        const head =
          start > 0
            ? response('206 Partial Content', {
                etag: '"v1"',
                'content-length': body.length - start,
                'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
              })
            : response('200 OK', { etag: '"v1"', 'content-length': body.length });
        return Buffer.concat([head, body.subarray(start, start + 50_000)]);
      },
      { stall: true },
    );
    const problems: string[] = [];
    const result = await downloadFile(`${raw.url}/f`, join(temp(), 'data.bin'), {
      ...quick,
      retries: 1,
      timeoutMs: 200,
      onRetry: ({ error }) => problems.push(error.message),
    });
    expect(problems).toEqual(Array(3).fill(expect.stringMatching(/no data for 200 ms/)));
    expect(result).toMatchObject({ attempts: 4, sha256: sha });
  });

  it('downloadFile(url, destination) does not retry other 4xx answers, checksum mismatches or overlong bodies', async () => {
    const raw = await serveRaw((_, count) =>
      count === 1
        ? response('403 Forbidden', { 'content-length': 0 })
        : response('200 OK', { 'content-length': 1000 }, body),
    );
    await expect(downloadFile(`${raw.url}/f`, join(temp(), 'x'), quick)).rejects.toMatchObject({
      status: 403,
    });
    await expect(downloadFile(`${raw.url}/f`, join(temp(), 'y'), quick)).rejects.toThrow(/sent more data/);
    expect(raw.requests).toHaveLength(2);
    server = await serveFiles({ '/f': body });
    await expect(
      downloadFile(`${server.url}/f`, join(temp(), 'z'), { ...quick, sha256: '0'.repeat(64) }),
    ).rejects.toMatchObject({ code: 'XLING_CHECKSUM_MISMATCH' });
    expect(server.requests).toHaveLength(1);
  });

  it('downloadFile(url, destination) throws XLING_ABORTED when the signal fires during a wait, keeping the part file', async () => {
    const raw = await serveWithIfRange({ body, etag: '"v1"' }, 70_000);
    const destination = join(temp(), 'data.bin');
    const controller = new AbortController();
    await expect(
      downloadFile(`${raw.url}/f`, destination, {
        retryDelayMs: 60_000,
        signal: controller.signal,
        onRetry: () => controller.abort(),
      }),
    ).rejects.toMatchObject({ code: 'XLING_ABORTED' });
    expect(raw.requests).toHaveLength(1);
    expect(statSync(`${destination}.part`).size).toBeGreaterThan(0);
  });
});

/** A self-signed certificate for 127.0.0.1 (P-256), which no client trusts. */
const TEST_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdqBd+Xmtd9PzcLcv
vsbCEGlDsuNm+WtUH441idTC1a2hRANCAAQEubmUH+UBP2IJI2HJ/5dR9cNMh8r+
oSPKgaiI33U562+ZougY7e4qBvprnfKG+gckH17cGA9tsINJoriEG5Zh
-----END PRIVATE KEY-----`;
const TEST_CERT = `-----BEGIN CERTIFICATE-----
MIIBkTCCATigAwIBAgIUdbCwuYCOO6iAhOILaoHVMPKNpjswCgYIKoZIzj0EAwIw
FTETMBEGA1UEAwwKeGxpbmcgdGVzdDAgFw0yNjEyMDcwMzQ3NDJaGA8yMTI2MTEx
MzAzNDc0MlowFTETMBEGA1UEAwwKeGxpbmcgdGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABAS5uZQf5QE/YgkjYcn/l1H1w0yHyv6hI8qBqIjfdTnrb5mi6Bjt
7ioG+mud8ob6ByQfXtwYD22wg0miuIQblmGjZDBiMB0GA1UdDgQWBBSvFE9zqoq6
yXbdHweXhpHZfbf2VDAfBgNVHSMEGDAWgBSvFE9zqoq6yXbdHweXhpHZfbf2VDAP
BgNVHRMBAf8EBTADAQH/MA8GA1UdEQQIMAaHBH8AAAEwCgYIKoZIzj0EAwIDRwAw
RAIgLjM1erX0YNTa1A88WrHYK7D3b5WIpVpX3jvPyosyoHECIFOLtPz73jZ/ho33
Ss6ts/IhdmkGjAGPZZDUu7XoUZyV
-----END CERTIFICATE-----`;

/** What the test proxy saw: request lines and the credentials sent to it. */
interface ProxyLog {
  line: string;
  proxyAuthorization: string | undefined;
}

/**
 * A forwarding proxy on 127.0.0.1: absolute-URI requests are sent on (without the
 * `proxy-authorization` meant for the proxy), `CONNECT` opens a TCP tunnel, unless `refuse` gives
 * the status to answer instead.
 */
async function serveProxy(refuse?: number) {
  const log: ProxyLog[] = [];
  const proxy = createServer((request, reply) => {
    log.push({
      line: `${request.method} ${request.url}`,
      proxyAuthorization: request.headers['proxy-authorization'],
    });
    if (refuse) {
      reply.writeHead(refuse).end();
      return;
    }
    const { 'proxy-authorization': _, ...headers } = request.headers;
    const onward = httpRequest(request.url ?? '', { headers }, (answer) => {
      reply.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(reply);
    });
    onward.on('error', () => reply.destroy());
    onward.end();
  });
  proxy.on('connect', (request: IncomingMessage, client: Socket) => {
    log.push({ line: `CONNECT ${request.url}`, proxyAuthorization: request.headers['proxy-authorization'] });
    if (refuse) {
      client.end(`HTTP/1.1 ${refuse} Refused\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const target = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      target.pipe(client).pipe(target);
    });
    target.on('error', () => client.destroy());
    client.on('error', () => target.destroy());
  });
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  proxies.push(proxy);
  return { url, log };
}
const proxies: Server[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) {
    proxy.closeAllConnections();
    await new Promise((done) => proxy.close(done));
  }
});

describe('downloadFile through a proxy', () => {
  it('downloadFile(url, destination, { env: { HTTP_PROXY } }) sends an absolute-URI request to the proxy', async () => {
    server = await serveFiles({ '/data.bin': body });
    const proxy = await serveProxy();
    const env = { HTTP_PROXY: 'http://127.0.0.1:9', http_proxy: proxy.url };
    const result = await downloadFile(`${server.url}/data.bin`, join(temp(), 'data.bin'), {
      env,
      sha256: sha,
    });
    expect(proxy.log.map((entry) => entry.line)).toEqual([`GET ${server.url}/data.bin`]);
    expect(result).toMatchObject({ bytes: body.length, url: `${server.url}/data.bin` });
    expect(server.requests[0]?.headers.host).toBe(new URL(server.url).host);
  });

  it('downloadFile(url, destination) gives proxy credentials from the URL to the proxy only', async () => {
    server = await serveFiles({ '/data.bin': body });
    const proxy = await serveProxy();
    const env = { HTTP_PROXY: proxy.url.replace('//', '//user:p%40ss@') };
    await downloadFile(`${server.url}/data.bin`, join(temp(), 'data.bin'), { env });
    const basic = `Basic ${Buffer.from('user:p@ss').toString('base64')}`;
    expect(proxy.log[0]?.proxyAuthorization).toBe(basic);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.headers['proxy-authorization']).toBeUndefined();
  });

  it('downloadFile(url, destination) goes direct to a host that NO_PROXY covers', async () => {
    server = await serveFiles({ '/data.bin': body });
    const proxy = await serveProxy();
    const env = { HTTP_PROXY: proxy.url, NO_PROXY: 'example.org, 127.0.0.1' };
    await downloadFile(`${server.url}/data.bin`, join(temp(), 'data.bin'), { env, sha256: sha });
    expect(proxy.log).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('downloadFile(url, destination, { env: { HTTPS_PROXY } }) opens a CONNECT tunnel and checks the certificate through it', async () => {
    const tls = createHttpsServer({ key: TEST_KEY, cert: TEST_CERT }, (_, reply) =>
      reply.end('never trusted'),
    );
    const connections: string[] = [];
    tls.on('connection', (socket: Socket) => connections.push(socket.remoteAddress ?? ''));
    await new Promise<void>((done) => tls.listen(0, '127.0.0.1', done));
    proxies.push(tls);
    const proxy = await serveProxy();
    const target = `127.0.0.1:${(tls.address() as AddressInfo).port}`;
    const env = { HTTPS_PROXY: proxy.url.replace('//', '//user:secret@') };
    const failure = await downloadFile(`https://${target}/data.bin`, join(temp(), 'data.bin'), {
      env,
      retryDelayMs: 1,
    }).catch((error) => error);
    // The self-signed certificate reached the client through the tunnel and was refused, once:
    // a bad certificate is not worth another attempt.
    expect(failure).toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      cause: { code: expect.stringMatching(/CERT/) },
    });
    expect(connections).toHaveLength(1);
    expect(proxy.log).toEqual([
      {
        line: `CONNECT ${target}`,
        proxyAuthorization: `Basic ${Buffer.from('user:secret').toString('base64')}`,
      },
    ]);
  });

  it('downloadFile(url, destination) reports a proxy that wants credentials (HTTP 407) without retrying', async () => {
    const proxy = await serveProxy(407);
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url };
    await expect(
      downloadFile('https://example.org/data.bin', join(temp(), 'a'), { env, retryDelayMs: 1 }),
    ).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
      status: 407,
      message: expect.stringMatching(/answered HTTP 407 to CONNECT example\.org:443.*user:password@/),
    });
    await expect(
      downloadFile('http://example.org/data.bin', join(temp(), 'b'), { env, retryDelayMs: 1 }),
    ).rejects.toMatchObject({
      status: 407,
      message: expect.stringMatching(
        /via the proxy http:\/\/127\.0\.0\.1:\d+\) answered HTTP 407.*user:password@/,
      ),
    });
    expect(proxy.log.map((entry) => entry.line)).toEqual([
      'CONNECT example.org:443',
      'GET http://example.org/data.bin',
    ]);
  });
});
