import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, run } from '../run.js';
import { bufferIo } from '../test-io.js';

const sentence = '# sent_id = 1\n# text = Hi\n1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n\n';

/** A one-file ustar archive, enough for a release-shaped tarball. */
function tarOf(files: Record<string, string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const header = Buffer.alloc(512);
    header.write(path, 0);
    header.write('0000644\0', 100);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.fill(0x20, 148, 156);
    const sum = header.reduce((a, b) => a + b, 0);
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  return Buffer.concat([...blocks, Buffer.alloc(1024)]);
}

const tarball = gzipSync(
  tarOf({
    'ud-treebanks-v2.99/UD_Welsh-CCG/cy_ccg-ud-train.conllu': sentence,
    'ud-treebanks-v2.99/UD_Welsh-CCG/cy_ccg-ud-test.conllu': sentence,
  }),
);
/** One ustar header that declares `size` bytes of data without carrying them. */
function headerOnly(name: string, size: number, flag: string): Buffer {
  const header = tarOf({ [name]: '' }).subarray(0, 512);
  header.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  header.write(flag, 156);
  header.fill(0x20, 148, 156);
  const sum = header.reduce((a, b) => a + b, 0);
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return header;
}

const routes: Record<string, Buffer> = {
  '/ud-treebanks-v2.99.tgz': tarball,
  '/cy_ccg-ud-dev.conllu': Buffer.from(sentence),
  '/x/..%2F..%2Fbackup.tgz': tarball,
  '/clash.tgz': gzipSync(tarOf({ 'r/a': 'file', 'r/a/b': 'under a file' })),
  '/long-name.tgz': gzipSync(
    Buffer.concat([headerOnly('././@LongLink', 256 * 2 ** 20, 'L'), Buffer.alloc(1024)]),
  ),
};
const requested: string[] = [];
const server = createServer((request, response) => {
  requested.push(request.url ?? '');
  const body = routes[request.url ?? ''];
  if (!body) response.writeHead(404).end();
  else response.writeHead(200, { 'content-length': body.length }).end(body);
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  temps.push(mkdtempSync(join(tmpdir(), 'xling-cli-dl-')));
  return temps.at(-1)!;
};
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('ud download', () => {
  it("run(['ud', 'download', url, '--dir', dir]) downloads and extracts a release that ud stats then reads", async () => {
    const dir = temp();
    const sha = createHash('sha256').update(tarball).digest('hex');
    const io = bufferIo({ cwd: dir });
    expect(
      await run(['ud', 'download', `${base}/ud-treebanks-v2.99.tgz`, '--dir', '.', '--sha256', sha], io),
    ).toBe(EXIT.ok);
    expect(io.out()).toMatch(/extracted 2 files, 1 treebanks into .*ud-treebanks-v2\.99\n/);
    expect(io.err()).toMatch(/download ud-treebanks-v2\.99\.tgz: started/);
    const stats = bufferIo({ cwd: dir });
    expect(await run(['ud', 'stats', '.'], stats)).toBe(EXIT.ok);
    expect(stats.out()).toMatch(/extracted release 2\.99/);
    expect(stats.out()).toMatch(/UD_Welsh-CCG +cy +main +train +1 +1 /);
  });

  it("run(['ud', 'download', url, '--sha256', wrong]) exits 1 with XLING_CHECKSUM_MISMATCH", async () => {
    const dir = temp();
    const io = bufferIo({ cwd: dir });
    expect(
      await run(
        ['ud', 'download', `${base}/ud-treebanks-v2.99.tgz`, '--dir', dir, '--sha256', 'f'.repeat(64)],
        io,
      ),
    ).toBe(EXIT.failure);
    expect(io.err()).toMatch(/xling: error: SHA-256 of .* \[XLING_CHECKSUM_MISMATCH\]\n$/);
    expect(existsSync(join(dir, 'ud-treebanks-v2.99'))).toBe(false);
  });

  it("run(['ud', 'download', '--treebank', name, url]) stores the file under <dir>/<treebank>/", async () => {
    const dir = temp();
    const io = bufferIo({ cwd: dir });
    expect(
      await run(
        ['ud', 'download', '--treebank', 'UD_Welsh-CCG', `${base}/cy_ccg-ud-dev.conllu`, '--dir', dir],
        io,
      ),
    ).toBe(EXIT.ok);
    expect(readFileSync(join(dir, 'UD_Welsh-CCG', 'cy_ccg-ud-dev.conllu'), 'utf8')).toBe(sentence);
    expect(io.out()).toMatch(/sha256 [0-9a-f]{64} \(not verified: pass it as --sha256 to check\)\n/);
    expect(io.out()).toMatch(/Downloaded 1 file\(s\) into .*UD_Welsh-CCG\n$/);
  });

  it("run(['ud', 'download', ...]) exits 1 on HTTP errors and 2 on misuse", async () => {
    const dir = temp();
    const missing = bufferIo({ cwd: dir });
    expect(await run(['ud', 'download', `${base}/nope.tgz`], missing)).toBe(EXIT.failure);
    expect(missing.err()).toMatch(/answered HTTP 404 \[XLING_DOWNLOAD_FAILED\]/);
    const two = bufferIo({ cwd: dir });
    expect(await run(['ud', 'download', `${base}/a.tgz`, `${base}/b.tgz`], two)).toBe(EXIT.usage);
    expect(two.err()).toMatch(/give exactly one release URL/);
  });
});

describe('ud download with hostile input', () => {
  it("run(['ud', 'download', '.../x/..%2F..%2Fbackup.tgz', '--dir', 'a/b/target']) exits 1 with XLING_UNSAFE_PATH and writes nothing", async () => {
    const root = temp();
    mkdirSync(join(root, 'a', 'b', 'target'), { recursive: true });
    writeFileSync(join(root, 'a', 'backup.tgz'), 'precious');
    requested.length = 0;
    for (const extra of [[], ['--keep-archive']]) {
      const io = bufferIo({ cwd: root });
      const url = `${base}/x/..%2F..%2Fbackup.tgz`;
      expect(await run(['ud', 'download', url, '--dir', 'a/b/target', ...extra], io)).toBe(EXIT.failure);
      expect(io.err()).toMatch(
        /^xling: error: the URL '.*\/x\/\.\.%2F\.\.%2Fbackup\.tgz' gives the path '\.\.\/\.\.\/backup\.tgz', which is not a plain name inside '.*target'; refusing to write it\. \[XLING_UNSAFE_PATH\]\n$/,
      );
    }
    expect(requested).toEqual([]);
    expect(readFileSync(join(root, 'a', 'backup.tgz'), 'utf8')).toBe('precious');
    expect(readdirSync(join(root, 'a', 'b', 'target'))).toEqual([]);
    const treebank = bufferIo({ cwd: root });
    expect(
      await run(['ud', 'download', '--treebank', 'UD_A-B', `${base}/x/..%2F..%2Fbackup.tgz`], treebank),
    ).toBe(EXIT.failure);
    expect(treebank.err()).toMatch(/\[XLING_UNSAFE_PATH\]\n$/);
  });

  it.each([
    ['%E0%A4%A', () => `${base}/%E0%A4%A.tgz`],
    ['%00', () => `${base}/r%00.tgz`],
    ['not a url', () => 'not a url'],
    ['ftp', () => 'ftp://127.0.0.1/r.tgz'],
  ])("run(['ud', 'download', <%s>]) exits 1 with XLING_INVALID_ARGUMENT naming the URL", async (_, url) => {
    for (const extra of [[], ['--treebank', 'UD_A-B']]) {
      const io = bufferIo({ cwd: temp() });
      expect(await run(['ud', 'download', url(), ...extra], io)).toBe(EXIT.failure);
      expect(io.err()).toContain(url().includes('ftp') ? "'ftp:'" : `'${url()}'`);
      expect(io.err()).toMatch(/\[XLING_INVALID_ARGUMENT\]\n$/);
    }
  });

  it("run(['ud', 'download', url]) exits 1 for a tar with a file/folder clash, leaving no .tmp", async () => {
    const dir = temp();
    const io = bufferIo({ cwd: dir });
    expect(await run(['ud', 'download', `${base}/clash.tgz`, '--dir', dir], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(
      /clash\.tgz:0:0: entry 'r\/a\/b' needs .* \(tar-path-clash\) \[XLING_FILE_FORMAT\]\n$/,
    );
    const left = readdirSync(dir, { recursive: true, encoding: 'utf8' });
    expect(left.filter((path) => path.endsWith('.tmp'))).toEqual([]);
  });

  it("run(['ud', 'download', url]) exits 1 with XLING_LIMIT_EXCEEDED for a 256 MiB GNU long-name header", async () => {
    const dir = temp();
    const io = bufferIo({ cwd: dir });
    expect(await run(['ud', 'download', `${base}/long-name.tgz`, '--dir', dir], io)).toBe(EXIT.failure);
    expect(io.err()).toMatch(
      /long-name\.tgz: a GNU long-name header at byte 0 declares 268435456 bytes \(limit MAX_TAR_HEADER_BYTES = 1048576\)\. \[XLING_LIMIT_EXCEEDED\]\n$/,
    );
  });
});
