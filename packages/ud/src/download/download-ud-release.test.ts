import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProgressEvent } from '@xling/core';
import { type FileServer, serveFiles } from '@xling/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveTreebank } from '../registry/resolve-treebank.js';
import { downloadTreebank } from './download-treebank.js';
import { downloadUdRelease } from './download-ud-release.js';
import { createTarGz } from './test-helpers.js';

const sentence = '# sent_id = 1\n# text = Hi\n1\tHi\thi\tINTJ\t_\t_\t0\troot\t_\t_\n\n';
const tarball = createTarGz([
  { path: 'ud-treebanks-v2.15/', type: 'directory' },
  { path: 'ud-treebanks-v2.15/UD_Welsh-CCG/cy_ccg-ud-train.conllu', data: sentence },
  { path: 'ud-treebanks-v2.15/UD_Welsh-CCG/cy_ccg-ud-test.conllu', data: sentence },
  { path: 'ud-treebanks-v2.15/UD_Welsh-CCG/README.md', data: 'readme' },
]);
const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
let server: FileServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const temp = () => mkdtempSync(join(tmpdir(), 'xling-release-dl-'));

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
  });

  it('downloadUdRelease(url, { dir }) resumes after an interruption and keeps the archive on request', async () => {
    server = await serveFiles({ '/r.tgz': { body: tarball, cutAfter: 100 } });
    const dir = temp();
    await expect(downloadUdRelease(`${server.url}/r.tgz`, { dir })).rejects.toMatchObject({
      code: 'XLING_DOWNLOAD_FAILED',
    });
    const result = await downloadUdRelease(`${server.url}/r.tgz`, { dir, keepArchive: true });
    expect(result.download.resumedFrom).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'r.tgz'))).toBe(true);
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
  });

  it('downloadTreebank(treebank, urls, options) throws XLING_INVALID_ARGUMENT for bad names', async () => {
    await expect(downloadTreebank('../evil', ['http://127.0.0.1/x'], { dir: temp() })).rejects.toThrow(
      /must be a UD name like 'UD_English-EWT'/,
    );
    await expect(downloadTreebank('UD_A-B', [], { dir: temp() })).rejects.toThrow(/non-empty array/);
    await expect(
      downloadTreebank('UD_A-B', [{ url: 'http://127.0.0.1/x', name: '../x' }], { dir: temp() }),
    ).rejects.toThrow(/must name a file/);
  });
});
