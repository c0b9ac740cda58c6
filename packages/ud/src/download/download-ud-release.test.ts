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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { createTarGz, type FileServer, serveFiles } from '@xling/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTreebank } from '../registry/resolve-treebank.js';
import { downloadTreebank } from './download-treebank.js';
import { downloadUdRelease } from './download-ud-release.js';

const sentence = '# sent_id = 1\n# text = Hi\n1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n\n';
const tarball = createTarGz([
  { path: 'ud-treebanks-v2.15/', type: 'directory' },
  { path: 'ud-treebanks-v2.15/UD_Welsh-CCG/cy_ccg-ud-train.conllu', data: sentence },
  { path: 'ud-treebanks-v2.15/UD_Welsh-CCG/cy_ccg-ud-test.conllu', data: sentence },
  { path: 'ud-treebanks-v2.15/UD_Welsh-CCG/README.md', data: 'readme' },
]);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
let server: FileServer | undefined;
const temps: string[] = [];
afterEach(async () => {
  await server?.close();
  server = undefined;
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const temp = () => {
  temps.push(mkdtempSync(join(tmpdir(), 'xling-release-dl-')));
  return temps.at(-1)!;
};

describe('downloadUdRelease', () => {
  it('downloadUdRelease(url, { dir }) downloads, verifies, extracts and indexes a release', async () => {
    server = await serveFiles({ '/ud-treebanks-v2.15.tgz': tarball });
    const dir = temp();
    const events: ProgressEvent[] = [];
    const result = await downloadUdRelease(`${server.url}/ud-treebanks-v2.15.tgz`, {
      dir,
      sha256: sha(tarball),
      onProgress: (e) => events.push(e),
    });
    expect(result.files).toBe(3);
    expect(result.index).toMatchObject({ layout: 'release', release: '2.15', treebanks: ['UD_Welsh-CCG'] });
    expect(existsSync(join(dir, 'ud-treebanks-v2.15.tgz'))).toBe(false);
    expect(new Set(events.map((e) => e.task))).toEqual(new Set(['download', 'extract']));
    const cy = await resolveTreebank('UD_Welsh-CCG', { dir, require: ['train', 'test'] });
    expect(readFileSync(cy.splits.train!.files[0]!.path, 'utf8')).toBe(sentence);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(`${sha(tarball)}  ud-treebanks-v2.15.tgz\n`);
  });

  it('downloadUdRelease(url, { dir }) resumes after an interruption and keeps the archive on request', async () => {
    server = await serveFiles({ '/r.tgz': { body: tarball, cutAfter: 100, headers: { etag: '"r1"' } } });
    const dir = temp();
    await expect(downloadUdRelease(`${server.url}/r.tgz`, { dir, retries: 0 })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
    });
    const result = await downloadUdRelease(`${server.url}/r.tgz`, { dir, keepArchive: true });
    expect(result.download.resumedFrom).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'r.tgz'))).toBe(true);
  });

  it('downloadUdRelease(url, { dir }) retries a cut transfer by itself, resuming it in the same call', async () => {
    server = await serveFiles({ '/r.tgz': { body: tarball, cutAfter: 100, headers: { etag: '"r1"' } } });
    const result = await downloadUdRelease(`${server.url}/r.tgz`, { dir: temp() });
    expect(result.download.attempts).toBe(2);
    expect(server.requests.at(-1)?.headers.range).toBe('bytes=100-');
  });

  it('downloadUdRelease(url, { dir, sha256 }) throws XLING_CHECKSUM_MISMATCH and extracts nothing', async () => {
    server = await serveFiles({ '/r.tgz': tarball });
    const dir = temp();
    await expect(
      downloadUdRelease(`${server.url}/r.tgz`, { dir, sha256: '0'.repeat(64) }),
    ).rejects.toMatchObject({
      code: 'XLING_CHECKSUM_MISMATCH',
    });
    expect(existsSync(join(dir, 'ud-treebanks-v2.15'))).toBe(false);
  });
});

describe('downloadUdRelease with hostile input', () => {
  it('downloadUdRelease(url, { dir }) refuses a URL whose decoded name leaves dir, before any request', async () => {
    server = await serveFiles({ '/x/..%2F..%2Fbackup.tgz': tarball });
    const base = temp();
    const target = join(base, 'b', 'target');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(base, 'backup.tgz'), 'precious');
    for (const keepArchive of [false, true]) {
      await expect(
        downloadUdRelease(`${server.url}/x/..%2F..%2Fbackup.tgz`, { dir: target, keepArchive }),
      ).rejects.toMatchObject({
        code: 'XLING_UNSAFE_PATH',
        message: expect.stringMatching(
          /^the URL '.*\/x\/\.\.%2F\.\.%2Fbackup\.tgz' gives the path '\.\.\/\.\.\/backup\.tgz'/,
        ),
      });
    }
    expect(server.requests).toEqual([]);
    expect(readFileSync(join(base, 'backup.tgz'), 'utf8')).toBe('precious');
    expect(readdirSync(target)).toEqual([]);
  });

  it.each([
    [
      'a malformed percent-escape',
      'http://127.0.0.1:9/x/%E0%A4%A.tgz',
      /the percent-escapes of '%E0%A4%A\.tgz' are not UTF-8/,
    ],
    ['an encoded NUL', 'http://127.0.0.1:9/x/r%00.tgz', /must not encode a control character such as %00/],
    ['a string that is no URL', 'not a url', /must be an absolute http\(s\) URL, but got 'not a url'/],
    ['another scheme', 'ftp://127.0.0.1:9/r.tgz', /must use http or https, but got 'ftp:'/],
  ])('downloadUdRelease(url, { dir }) throws XLING_INVALID_ARGUMENT for %s', async (_, url, message) => {
    const dir = temp();
    await expect(downloadUdRelease(url, { dir })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(message),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('downloadUdRelease(url, { dir, maxExtractedBytes }) stops a gzip bomb and keeps the archive inside dir', async () => {
    const bomb = createTarGz([{ path: 'ud-treebanks-v2.15/zeros.bin', data: Buffer.alloc(2 * 2 ** 20) }]);
    server = await serveFiles({ '/bomb.tgz': bomb });
    const dir = temp();
    await expect(
      downloadUdRelease(`${server.url}/bomb.tgz`, { dir, maxExtractedBytes: 2 ** 20 }),
    ).rejects.toMatchObject({ code: 'XLING_LIMIT_EXCEEDED', limit: 'MAX_EXTRACTED_BYTES' });
    expect(readdirSync(dir)).toEqual(['bomb.tgz']);
  });
});

describe('downloadTreebank', () => {
  it('downloadTreebank(treebank, urls, { dir }) fetches the files into the release layout', async () => {
    server = await serveFiles({
      '/cy/cy_ccg-ud-dev.conllu': Buffer.from(sentence),
      '/cy/t.conllu': Buffer.from(sentence),
    });
    const dir = temp();
    const result = await downloadTreebank(
      'UD_Welsh-CCG',
      [
        `${server.url}/cy/cy_ccg-ud-dev.conllu`,
        { url: `${server.url}/cy/t.conllu`, name: 'cy_ccg-ud-test.conllu', sha256: sha(sentence) },
      ],
      { dir },
    );
    expect(result.files.map((f) => f.bytes)).toEqual([sentence.length, sentence.length]);
    const cy = await resolveTreebank('UD_Welsh-CCG', { dir, require: ['fit', 'test'] });
    expect(cy.fitSplit).toBe('dev');
    // What was downloaded is recorded, in sha256sum's format; a later download replaces its line.
    const sums = `${sha(sentence)}  UD_Welsh-CCG/cy_ccg-ud-dev.conllu\n${sha(sentence)}  UD_Welsh-CCG/cy_ccg-ud-test.conllu\n`;
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(sums);
    await downloadTreebank('UD_Welsh-CCG', [`${server.url}/cy/cy_ccg-ud-dev.conllu`], { dir });
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(sums);
  });

  it('downloadTreebank(treebank, urls, options) throws XLING_INVALID_ARGUMENT for bad names', async () => {
    await expect(downloadTreebank('../evil', ['http://127.0.0.1/x'], { dir: temp() })).rejects.toThrow(
      /must be a UD name like 'UD_English-EWT'/,
    );
    await expect(downloadTreebank('UD_A-B', [], { dir: temp() })).rejects.toThrow(/non-empty array/);
    await expect(
      downloadTreebank('UD_A-B', [{ url: 'http://127.0.0.1/x', name: '../x' }], { dir: temp() }),
    ).rejects.toMatchObject({
      code: 'XLING_UNSAFE_PATH',
      message: expect.stringMatching(/^files\[0\]\.name gives the path '\.\.\/x'/),
    });
  });

  it('downloadTreebank(treebank, urls, { dir }) checks every name before it writes anything', async () => {
    server = await serveFiles({
      '/a.conllu': Buffer.from(sentence),
      '/x/..%2F..%2Fevil.conllu': Buffer.from('bad'),
    });
    const dir = temp();
    await expect(
      downloadTreebank('UD_A-B', [`${server.url}/a.conllu`, `${server.url}/x/..%2F..%2Fevil.conllu`], {
        dir,
      }),
    ).rejects.toMatchObject({ code: 'XLING_UNSAFE_PATH' });
    expect(server.requests).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    await expect(downloadTreebank('UD_A-B', [`${server.url}/x/`], { dir })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/files\[0\].*must end in a file name/),
    });
  });
});
