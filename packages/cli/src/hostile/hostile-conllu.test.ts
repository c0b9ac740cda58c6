// Hostile CoNLL-U files through `xling ud stats` and `xling ud validate`: coded errors naming the
// file and line, bounded memory (a giant line is refused while streaming), no hang.
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_FAILURE, errorCode, hostileVerdict, runHostile } from './run-hostile.js';

let sandbox: string;
beforeAll(async () => {
  sandbox = await mkdtemp(join(tmpdir(), 'xling-hostile-conllu-'));
});
afterAll(async () => {
  await rm(sandbox, { recursive: true, force: true });
});

const HEADER = '# sent_id = 1\n# text = a b\n';
const GOOD = `${HEADER}1\ta\ta\tNOUN\t_\t_\t0\troot\t_\t_\n2\tb\tb\tNOUN\t_\t_\t1\tnmod\t_\t_\n\n`;

/** A gzip stream of one line of `mib` MiB of 'a', written without holding it in memory. */
async function giantLine(path: string, mib: number): Promise<void> {
  const chunk = Buffer.alloc(1 << 20, 'a');
  async function* lines() {
    yield Buffer.from(HEADER);
    for (let i = 0; i < mib; i++) yield chunk;
    yield Buffer.from('\n\n');
  }
  await pipeline(lines, createGzip({ level: 1 }), createWriteStream(path));
}

/** A UD folder with one treebank whose test file is `data` (gzipped when the name ends in .gz). */
async function treebank(name: string, file: string, data: Buffer | string): Promise<string> {
  const dir = join(sandbox, name, 'UD_English-Test');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, file), data);
  return join(name, 'UD_English-Test', file);
}

const CASES: Array<{ name: string; file: string; data: () => Buffer | string; code: string }> = [
  {
    name: 'bytes that are not gzip',
    file: 'en_test-ud-test.conllu.gz',
    data: () => Buffer.from('\x1f\x8b\x08\x00junk'),
    code: 'XLING_FILE_FORMAT',
  },
  {
    name: 'a gzip cut in half',
    file: 'en_test-ud-test.conllu.gz',
    data: () => gzipSync(GOOD.repeat(200)).subarray(0, 300),
    code: 'XLING_FILE_FORMAT',
  },
  {
    name: 'invalid UTF-8',
    file: 'en_test-ud-test.conllu',
    data: () => Buffer.concat([Buffer.from(HEADER), Buffer.from([0xff, 0xfe, 0x0a, 0x0a])]),
    code: 'XLING_FILE_FORMAT',
  },
  {
    name: 'a sentence of only an empty node',
    file: 'en_test-ud-test.conllu',
    data: () => `${HEADER}1.1\ta\ta\tNOUN\t_\t_\t_\t_\t0:root\t_\n\n`,
    code: 'XLING_FILE_FORMAT',
  },
  {
    name: 'nine columns',
    file: 'en_test-ud-test.conllu',
    data: () => `${HEADER}1\ta\ta\tNOUN\t_\t_\t0\troot\t_\n\n`,
    code: 'XLING_FILE_FORMAT',
  },
  {
    name: 'NUL bytes',
    file: 'en_test-ud-test.conllu',
    data: () => Buffer.alloc(4096, 0),
    code: 'XLING_FILE_FORMAT',
  },
];

describe('hostile CoNLL-U files (xling ud stats)', () => {
  it.each(CASES)('$name ends in $code', { timeout: 30_000 }, async ({ name, file, data, code }) => {
    await treebank(name, file, data());
    const run = await runHostile(['ud', 'stats', name], { sandbox });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe(code);
    expect(run.stderr).toContain(file);
  });

  it('a 128 MiB line in a 130 KB gzip is refused while streaming', { timeout: 60_000 }, async () => {
    const path = await treebank('giant', 'en_test-ud-test.conllu.gz', '');
    await giantLine(join(sandbox, path), 128);
    const run = await runHostile(['ud', 'stats', 'giant'], { sandbox });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe('XLING_LIMIT_EXCEEDED');
    expect(run.stderr).toMatch(/en_test-ud-test\.conllu\.gz.*line 3/);
  });
});

describe('hostile CoNLL-U files (xling ud validate)', () => {
  it('refuses a 128 MiB line while streaming, naming the file and line', { timeout: 60_000 }, async () => {
    const path = join(sandbox, 'giant.conllu.gz');
    await giantLine(path, 128);
    const run = await runHostile(['ud', 'validate', 'giant.conllu.gz'], { sandbox });
    expect(hostileVerdict(run), run.stderr).toEqual(CLEAN_FAILURE);
    expect(errorCode(run)).toBe('XLING_LIMIT_EXCEEDED');
    expect(run.stderr).toMatch(/giant\.conllu\.gz: line 3 /);
  });
});
