import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readConllu } from './read-conllu.js';
import { writeConllu } from './write-conllu.js';

const source = fileURLToPath(new URL('../__fixtures__/valid.conllu', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'xling-ud-write-'));

describe('writeConllu(path, sentences)', () => {
  it('writeConllu(path, readConllu(source)) copies a file byte for byte', async () => {
    const path = join(dir, 'copy.conllu');
    await writeConllu(path, readConllu(source));
    expect(readFileSync(path)).toEqual(readFileSync(source));
  });

  it('writeConllu(path.gz, sentences) gzips', async () => {
    const path = join(dir, 'copy.conllu.gz');
    await writeConllu(path, readConllu(source));
    expect(gunzipSync(readFileSync(path))).toEqual(readFileSync(source));
  });

  it("writeConllu('', sentences) throws XLING_INVALID_ARGUMENT", async () => {
    await expect(writeConllu('', [])).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
  });
});
