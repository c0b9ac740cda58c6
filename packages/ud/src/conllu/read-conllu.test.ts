import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type ProgressEvent, ResourceLimitError } from '@xling/core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConllu } from './parse-conllu.js';
import { readConllu } from './read-conllu.js';
import type { Sentence } from './types.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/', import.meta.url));
const valid = readFileSync(join(fixtures, 'valid.conllu'));
const dir = mkdtempSync(join(tmpdir(), 'xling-ud-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(iterable: AsyncIterable<Sentence>): Promise<Sentence[]> {
  const out: Sentence[] = [];
  for await (const s of iterable) out.push(s);
  return out;
}

/** A stream that hands out `bytes` in pieces of `size` (cutting lines and UTF-8 characters). */
function pieces(bytes: Uint8Array, size: number): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(Buffer.from(bytes.subarray(i, i + size)));
  return Readable.from(chunks);
}

describe('readConllu(source)', () => {
  it('readConllu(path) yields the sentences of parseConllu', async () => {
    expect(await collect(readConllu(join(fixtures, 'valid.conllu')))).toEqual(
      parseConllu(valid, { file: 'x' }),
    );
  });

  it('readConllu(path.gz) gunzips transparently', async () => {
    const path = join(dir, 'valid.conllu.gz');
    writeFileSync(path, gzipSync(valid));
    expect(await collect(readConllu(path))).toEqual(parseConllu(valid));
  });

  it('readConllu(stream) gives the same sentences for every chunk size, cutting lines and characters', async () => {
    const doubled = Buffer.concat(
      [valid, valid.toString('utf8').replaceAll('s1', 's3').replaceAll('s2', 's4')].map((x) =>
        Buffer.from(x),
      ),
    );
    const expected = parseConllu(doubled);
    for (const size of [1, 2, 3, 7, 64, 100000]) {
      expect(await collect(readConllu(pieces(doubled, size)))).toEqual(expected);
    }
  });

  it('readConllu(stream) finds invalid UTF-8 across chunk boundaries at the right line', async () => {
    const bytes = readFileSync(join(fixtures, 'invalid-utf8.conllu'));
    for (const size of [1, 5, 4096]) {
      await expect(collect(readConllu(pieces(bytes, size)))).rejects.toMatchObject({
        code: 'XLING_FILE_FORMAT',
        ruleId: 'invalid-utf8',
        line: 5,
        file: '<stream>',
      });
    }
  });

  it('readConllu(path) yields the sentences before the first error, then throws XLING_FILE_FORMAT', async () => {
    const seen: string[] = [];
    const run = async () => {
      for await (const s of readConllu(join(fixtures, 'empty-node-id.conllu'))) seen.push(s.metadata.sent_id);
    };
    await expect(run()).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'empty-node-id',
      line: 17,
    });
    expect(seen).toEqual(['s1']);
  });

  it("readConllu(path, { mode: 'lenient' }) skips bad sentences and reports them", async () => {
    const skipped: number[] = [];
    const sentences = await collect(
      readConllu(join(fixtures, 'head-cycle.conllu'), {
        mode: 'lenient',
        onSkip: (s) => skipped.push(s.line),
      }),
    );
    expect(sentences.map((s) => s.metadata.sent_id)).toEqual(['s2']);
    expect(skipped).toEqual([1]);
  });

  it('readConllu(path) stops cleanly when the consumer breaks early', async () => {
    for await (const s of readConllu(join(fixtures, 'valid.conllu'))) {
      expect(s.metadata.sent_id).toBe('s1');
      break;
    }
  });

  it('readConllu(path, { onProgress }) reports start, progress and end in bytes', async () => {
    const events: ProgressEvent[] = [];
    await collect(readConllu(join(fixtures, 'valid.conllu'), { onProgress: (e) => events.push(e) }));
    expect(events[0]).toMatchObject({
      status: 'start',
      task: 'read-conllu',
      total: valid.length,
      unit: 'byte',
    });
    expect(events.at(-1)).toMatchObject({ status: 'end', done: valid.length });
  });

  it('readConllu(path, { signal }) throws XLING_ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      collect(readConllu(join(fixtures, 'valid.conllu'), { signal: controller.signal })),
    ).rejects.toMatchObject({
      code: 'XLING_ABORTED',
    });
  });

  it('readConllu(missing path) throws XLING_INVALID_ARGUMENT naming the path', async () => {
    await expect(collect(readConllu(join(dir, 'nope.conllu')))).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/nope\.conllu' gave ENOENT/),
    });
  });

  it('readConllu(corrupt.gz) throws XLING_FILE_FORMAT with ruleId gzip', async () => {
    const path = join(dir, 'corrupt.conllu.gz');
    writeFileSync(path, Buffer.from('not gzip at all\n'));
    await expect(collect(readConllu(path))).rejects.toMatchObject({
      code: 'XLING_FILE_FORMAT',
      ruleId: 'gzip',
    });
  });

  it('readConllu(path.gz, { maxLineBytes }) throws XLING_LIMIT_EXCEEDED naming the file and line, before the line ends', async () => {
    // The second sentence's first line never ends: 1 MB of one line, gzipped to about 1 KB.
    const path = join(dir, 'endless.conllu.gz');
    writeFileSync(
      path,
      gzipSync(Buffer.concat([valid.subarray(0, valid.indexOf('\n\n') + 2), Buffer.alloc(1e6, 'x')])),
    );
    const sentences: Sentence[] = [];
    let thrown: unknown;
    try {
      for await (const s of readConllu(path, { maxLineBytes: 1000 })) sentences.push(s);
    } catch (error) {
      thrown = error;
    }
    expect(sentences).toHaveLength(1);
    expect(thrown).toBeInstanceOf(ResourceLimitError);
    expect(thrown).toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      file: path,
      limit: 'maxLineBytes',
      maximum: 1000,
    });
    expect((thrown as Error).message).toMatch(/: line 8 is longer than 1000 bytes/);
  });

  it('readConllu(stream, { maxLineBytes }) measures lines that end inside a chunk too; exactly the limit is fine', async () => {
    const longest = Math.max(
      ...valid
        .toString('utf8')
        .split('\n')
        .map((l) => Buffer.byteLength(l)),
    );
    expect(await collect(readConllu(pieces(valid, 4096), { maxLineBytes: longest }))).toHaveLength(2);
    await expect(collect(readConllu(pieces(valid, 4096), { maxLineBytes: longest - 1 }))).rejects.toThrow(
      /^<stream>: line \d+ is longer than/,
    );
    await expect(collect(readConllu(pieces(valid, 4096), { maxLineBytes: 0 }))).rejects.toThrow(
      /options.maxLineBytes/,
    );
  });

  it('readConllu(42) throws XLING_INVALID_ARGUMENT', async () => {
    await expect(collect(readConllu(42 as unknown as string))).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
  });
});
