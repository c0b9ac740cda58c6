import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
const routes: Record<string, Buffer> = {
  '/ud-treebanks-v2.99.tgz': tarball,
  '/cy_ccg-ud-dev.conllu': Buffer.from(sentence),
};
const server = createServer((request, response) => {
  const body = routes[request.url ?? ''];
  if (!body) response.writeHead(404).end();
  else response.writeHead(200, { 'content-length': body.length }).end(body);
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('ud download', () => {
  it("run(['ud', 'download', url, '--dir', dir]) downloads and extracts a release that ud stats then reads", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xling-cli-dl-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'xling-cli-dl-'));
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
    const dir = mkdtempSync(join(tmpdir(), 'xling-cli-dl-'));
    const io = bufferIo({ cwd: dir });
    expect(
      await run(
        ['ud', 'download', '--treebank', 'UD_Welsh-CCG', `${base}/cy_ccg-ud-dev.conllu`, '--dir', dir],
        io,
      ),
    ).toBe(EXIT.ok);
    expect(readFileSync(join(dir, 'UD_Welsh-CCG', 'cy_ccg-ud-dev.conllu'), 'utf8')).toBe(sentence);
    expect(io.out()).toMatch(/Downloaded 1 file\(s\) into .*UD_Welsh-CCG\n$/);
  });

  it("run(['ud', 'download', ...]) exits 1 on HTTP errors and 2 on misuse", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xling-cli-dl-'));
    const missing = bufferIo({ cwd: dir });
    expect(await run(['ud', 'download', `${base}/nope.tgz`], missing)).toBe(EXIT.failure);
    expect(missing.err()).toMatch(/answered HTTP 404 \[XLING_DOWNLOAD_FAILED\]/);
    const two = bufferIo({ cwd: dir });
    expect(await run(['ud', 'download', `${base}/a.tgz`, `${base}/b.tgz`], two)).toBe(EXIT.usage);
    expect(two.err()).toMatch(/give exactly one release URL/);
  });
});
