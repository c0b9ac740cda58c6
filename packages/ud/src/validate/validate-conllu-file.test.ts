import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { validateConlluFile } from './validate-conllu-file.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xling-ud-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validateConlluFile(path)', () => {
  it('validateConlluFile(path) returns [] for a valid file', async () => {
    expect(await validateConlluFile(join(fixtures, 'valid.conllu'))).toEqual([]);
  });

  it('validateConlluFile(path) names the path and the line', async () => {
    const path = join(fixtures, 'head-cycle.conllu');
    expect(await validateConlluFile(path)).toEqual([
      expect.objectContaining({
        file: path,
        line: 5,
        ruleId: 'head-cycle',
        message: 'Heads form a cycle: 3 -> 4 -> 3.',
      }),
    ]);
  });

  it('validateConlluFile(missing) returns one read-error diagnostic instead of throwing', async () => {
    const diagnostics = await validateConlluFile(join(dir, 'missing.conllu'));
    expect(diagnostics).toEqual([expect.objectContaining({ ruleId: 'read-error', line: 0 })]);
  });

  it('validateConlluFile(corrupt.gz) returns one gzip diagnostic', async () => {
    const path = join(dir, 'bad.conllu.gz');
    writeFileSync(path, 'plain text\n');
    expect(await validateConlluFile(path)).toEqual([expect.objectContaining({ ruleId: 'gzip' })]);
  });

  it('validateConlluFile(path.gz, { maxLineBytes }) throws XLING_LIMIT_EXCEEDED naming the file and line', async () => {
    const path = join(dir, 'endless.conllu.gz');
    writeFileSync(
      path,
      gzipSync(Buffer.concat([Buffer.from('# sent_id = 1\n'), Buffer.alloc(300_000, 'x')])),
    );
    await expect(validateConlluFile(path, { maxLineBytes: 100_000 })).rejects.toMatchObject({
      code: 'XLING_LIMIT_EXCEEDED',
      message: `${path}: line 2 is longer than 100000 bytes, which no CoNLL-U file needs (a file without line ends?) (limit maxLineBytes = 100000).`,
    });
    await expect(validateConlluFile(path, { maxLineBytes: 0 })).rejects.toThrow(/options.maxLineBytes/);
  });
});
