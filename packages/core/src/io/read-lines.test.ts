import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResourceLimitError } from '../errors/resource-limit-error.js';
import { MAX_LINE_BYTES, readLines } from './read-lines.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xling-read-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(path: string, maxLineBytes?: number): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(path, maxLineBytes === undefined ? undefined : { maxLineBytes }))
    lines.push(line);
  return lines;
}

async function failure(path: string, maxLineBytes: number): Promise<unknown> {
  try {
    await collect(path, maxLineBytes);
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('readLines(path[, options])', () => {
  it('readLines(path) splits on LF and CR LF, keeps empty lines and a last line without a line end', async () => {
    const path = join(dir, 'mixed.txt');
    await writeFile(path, 'a\r\n\nb\nlast');
    expect(await collect(path)).toEqual(['a', '', 'b', 'last']);
  });

  it('readLines(path.gz) decodes UTF-8 split across chunks the same as a plain file', async () => {
    const text = `${'é'.repeat(40_000)}\n${'ж'.repeat(50_000)}\n`;
    await writeFile(join(dir, 'u.txt'), text);
    await writeFile(join(dir, 'u.txt.gz'), gzipSync(text));
    const expected = ['é'.repeat(40_000), 'ж'.repeat(50_000)];
    expect(await collect(join(dir, 'u.txt'))).toEqual(expected);
    expect(await collect(join(dir, 'u.txt.gz'))).toEqual(expected);
  });

  it('readLines(path, { maxLineBytes: 10 }) throws XLING_LIMIT_EXCEEDED naming the file and the line', async () => {
    const path = join(dir, 'long.txt');
    await writeFile(path, `short\n${'x'.repeat(11)}\nnever\n`);
    const error = await failure(path, 10);
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect(error).toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      file: path,
      limit: 'maxLineBytes',
      maximum: 10,
    });
    expect((error as Error).message).toContain(`${path}: line 2 is longer than 10 bytes`);
    // Exactly at the limit is fine.
    await writeFile(path, `${'x'.repeat(10)}\n`);
    expect(await collect(path, 10)).toEqual(['x'.repeat(10)]);
  });

  it('readLines refuses an unfinished line once it passes the limit, across chunks and without a line end', async () => {
    const path = join(dir, 'endless.txt.gz');
    await writeFile(path, gzipSync(`ok\n${'y'.repeat(200_000)}`));
    const error = await failure(path, 70_000);
    expect(error).toMatchObject({ code: 'XLING_LIMIT_EXCEEDED', maximum: 70_000 });
    expect((error as Error).message).toMatch(/: line 2 is longer than 70000 bytes/);
  });

  it('readLines turns a missing file, a corrupt .gz and bad options into coded errors', async () => {
    await expect(collect(join(dir, 'missing.txt'))).rejects.toMatchObject({ code: 'XLING_FILE_SYSTEM' });
    await writeFile(join(dir, 'bad.gz'), 'not gzip');
    await expect(collect(join(dir, 'bad.gz'))).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'gzip',
    });
    await expect(collect(join(dir, 'mixed.txt'), 0)).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
    expect(MAX_LINE_BYTES).toBe(1 << 20);
  });
});
