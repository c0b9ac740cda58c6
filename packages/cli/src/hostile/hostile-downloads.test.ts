// Hostile URLs, servers and archives through `xling ud download`: nothing written outside
// --dir, headers and archives bounded, malformed URLs and changed files caught, and every case
// ends in a coded error (exit 1) or the correct file.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { createTarGz, type FileRoute, type FileServer, serveFiles, tarHeader } from '@xling/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_FAILURE, errorCode, hostileVerdict, runHostile } from './run-hostile.js';

const TARGET = join('a', 'b', 'target');
const routes: Record<string, FileRoute> = {};
let server: FileServer;
let sandbox: string;

beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'xling-hostile-download-'));
  await mkdir(join(sandbox, TARGET), { recursive: true });
  server = await serveFiles(routes);
  routes['/x/backup.tgz'] = createTarGz([{ path: 'ud-treebanks-v2.0/README.txt', data: 'hi' }]);
  routes['/escape.tgz'] = createTarGz([{ path: '../../escape.txt', data: 'bad' }]);
  routes['/absolute.tgz'] = createTarGz([{ path: '/xling-absolute-entry.txt', data: 'bad' }]);
  routes['/clash.tgz'] = createTarGz([
    { path: 'r/a', data: 'file' },
    { path: 'r/a/b', data: 'under a file' },
  ]);
  routes['/long-name.tgz'] = await longNameArchive(256);
  // A gzip bomb's start: an entry declaring 300 MiB, followed by 1 MiB of zeros.
  routes['/bomb.tgz'] = gzipSync(
    Buffer.concat([tarHeader('bomb.bin', 300 << 20, '0'), Buffer.alloc(1 << 20)]),
  );
});
afterAll(async () => {
  await server.close();
  await rm(sandbox, { recursive: true, force: true });
});

/** A .tgz whose first header is a GNU long name declaring `mib` MiB (about 1 KB gzipped per MiB). */
async function longNameArchive(mib: number): Promise<Buffer> {
  const path = join(sandbox, 'long-name.tgz');
  async function* blocks() {
    yield tarHeader('././@LongLink', mib << 20, 'L');
    const zeros = Buffer.alloc(1 << 20);
    for (let i = 0; i < mib; i++) yield zeros;
  }
  await pipeline(blocks, createGzip({ level: 1 }), createWriteStream(path));
  return readFile(path);
}

const download = (...args: string[]) =>
  runHostile(['ud', 'download', ...args, '--dir', TARGET], { sandbox, writable: [TARGET] });

describe('hostile URLs (xling ud download)', () => {
  it.each([
    {
      name: 'a name decoded to ../../backup.tgz',
      path: '/x/..%2F..%2Fbackup.tgz',
      code: 'XLING_UNSAFE_PATH',
    },
    {
      name: 'the same with --keep-archive',
      path: '/x/..%2F..%2Fbackup.tgz',
      extra: ['--keep-archive'],
      code: 'XLING_UNSAFE_PATH',
    },
    { name: 'an encoded backslash path', path: '/x/..%5C..%5Cbackup.tgz', code: 'XLING_UNSAFE_PATH' },
    // URL parsing resolves an encoded `..` segment: the request goes to `/` (404 here), and a
    // file would get the fallback name inside --dir.
    { name: 'a last segment of encoded ..', path: '/x/%2E%2E', code: 'XLING_DOWNLOAD_FAILED' },
    { name: 'a cut percent-escape', path: '/x/%E0%A4%A.tgz', code: 'XLING_INVALID_ARGUMENT' },
    { name: 'an encoded NUL', path: '/x/a%00.tgz', code: 'XLING_INVALID_ARGUMENT' },
  ])(
    '$name ends in $code with nothing outside --dir',
    { timeout: 30_000 },
    async ({ path, extra = [], code }) => {
      const run = await download(`${server.url}${path}`, ...extra);
      expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
      expect(errorCode(run)).toBe(code);
    },
  );

  it.each(['not a url', 'ftp://127.0.0.1/x.tgz', 'file:///etc/passwd'])(
    '%j is refused',
    { timeout: 30_000 },
    async (url) => {
      const run = await download(url);
      expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
      expect(errorCode(run)).toBe('XLING_INVALID_ARGUMENT');
    },
  );
});

describe('hostile archives (xling ud download)', () => {
  it.each([
    { name: 'an entry leaving the folder', path: '/escape.tgz', code: 'XLING_UNSAFE_PATH' },
    { name: 'an absolute entry', path: '/absolute.tgz', code: 'XLING_UNSAFE_PATH' },
    { name: 'a file and a folder of one name', path: '/clash.tgz', code: 'XLING_FILE_FORMAT' },
    {
      name: 'a 256 MiB long-name header in a small .tgz',
      path: '/long-name.tgz',
      code: 'XLING_LIMIT_EXCEEDED',
    },
  ])('$name ends in $code, bounded, without temp files', { timeout: 60_000 }, async ({ path, code }) => {
    const run = await download(`${server.url}${path}`);
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe(code);
    const left = (await readdir(join(sandbox, TARGET), { recursive: true })) as string[];
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('hostile servers (xling ud download --treebank)', () => {
  const file = (body: string, etag: string, cutAfter?: number): FileRoute => ({
    body: Buffer.from(body),
    headers: { etag: `"${etag}"` },
    ...(cutAfter === undefined ? {} : { cutAfter }),
  });

  it('a body cut short fails (with --retries 0) and keeps the part; a file changed on the server is fetched whole, not spliced', {
    timeout: 60_000,
  }, async () => {
    const v1 = 'version one of the file '.repeat(200);
    const v2 = 'VERSION TWO, changed on the server '.repeat(150);
    routes['/tb/en_x-ud-test.conllu'] = file(v1, 'v1', 1000);
    const cut = await download(
      '--retries',
      '0',
      '--treebank',
      'UD_English-X',
      `${server.url}/tb/en_x-ud-test.conllu`,
    );
    expect(hostileVerdict(cut), cut.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(cut)).toBe('XLING_DOWNLOAD_FAILED');
    routes['/tb/en_x-ud-test.conllu'] = file(v2, 'v2');
    const resumed = await download('--treebank', 'UD_English-X', `${server.url}/tb/en_x-ud-test.conllu`);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(await readFile(join(sandbox, TARGET, 'UD_English-X', 'en_x-ud-test.conllu'), 'utf8')).toBe(v2);
    const sums = await readFile(join(sandbox, TARGET, 'SHA256SUMS'), 'utf8');
    expect(sums).toBe(`${createHash('sha256').update(v2).digest('hex')}  UD_English-X/en_x-ud-test.conllu\n`);
    const asked = server.requests.filter((r) => r.path === '/tb/en_x-ud-test.conllu');
    expect(asked.map((r) => r.headers['if-range'])).toContain('"v1"');
  });
});
