import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateConlluFile } from './validate-conllu-file.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xling-ud-validate-'));

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
});
