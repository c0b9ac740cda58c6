import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseConllu } from './parse-conllu.js';
import { readConllu } from './read-conllu.js';
import { validateConlluFile } from '../validate/validate-conllu-file.js';
import { stringifyConllu } from './stringify-conllu.js';

const gunzipAsync = promisify(gunzip);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const udDir = process.env.XLING_UD_DIR ?? resolve(repoRoot, '../shared/data/ud');
const hasData = existsSync(join(udDir, 'MANIFEST.tsv'));

function findConlluGz(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findConlluGz(path));
    else if (entry.name.endsWith('.conllu.gz')) out.push(relative(udDir, path));
  }
  return out;
}

interface ManifestRow {
  file: string;
  sentences: number;
  words: number;
}

function readManifestRows(): ManifestRow[] {
  const [header, ...rows] = readFileSync(join(udDir, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const columns = header.split('\t');
  const at = (name: string) => columns.indexOf(name);
  return rows.map((row) => {
    const cells = row.split('\t');
    return {
      file: cells[at('file')],
      sentences: Number(cells[at('sentences')]),
      words: Number(cells[at('tokens')]),
    };
  });
}

describe.skipIf(!hasData)(`shared UD treebanks in ${udDir}`, () => {
  it('stringifyConllu(parseConllu(bytes)) gives back every file byte for byte, with MANIFEST.tsv counts', async () => {
    const manifest = readManifestRows();
    const files = findConlluGz(udDir).sort();
    expect(files).toEqual(manifest.map((row) => row.file).sort());
    expect(files.length).toBeGreaterThanOrEqual(150);
    const failures: string[] = [];
    let bytesChecked = 0;
    // Gunzip runs on libuv's thread pool: keep a few files in flight while the main thread parses.
    const queue = [...manifest];
    const inFlight = new Map<string, Promise<Buffer>>();
    const start = (row: ManifestRow) =>
      inFlight.set(row.file, gunzipAsync(readFileSync(join(udDir, row.file))));
    for (const row of queue.slice(0, 4)) start(row);
    for (let i = 0; i < queue.length; i++) {
      const row = queue[i];
      if (i + 4 < queue.length) start(queue[i + 4]);
      const bytes = await (inFlight.get(row.file) as Promise<Buffer>);
      inFlight.delete(row.file);
      const sentences = parseConllu(bytes, { file: row.file });
      const words = sentences.reduce((sum, s) => sum + s.words.length, 0);
      if (sentences.length !== row.sentences || words !== row.words) {
        failures.push(
          `${row.file}: ${sentences.length} sentences / ${words} words, manifest ${row.sentences} / ${row.words}`,
        );
      }
      if (!Buffer.from(stringifyConllu(sentences), 'utf8').equals(bytes))
        failures.push(`${row.file}: round trip differs`);
      bytesChecked += bytes.length;
    }
    expect(failures).toEqual([]);
    expect(bytesChecked).toBeGreaterThan(150e6);
  }, 120_000);

  it('readConllu(path.gz) streams the same sentences as parseConllu on files with ranges and empty nodes', async () => {
    const manifest = readManifestRows();
    const picks = ['UD_Spanish-GSD', 'UD_English-EWT', 'UD_Polish-PDB']
      .map((name) => manifest.find((row) => row.file.startsWith(`${name}/`) && row.file.includes('-dev')))
      .filter((row): row is ManifestRow => row !== undefined);
    expect(picks.length).toBeGreaterThan(0);
    let ranges = 0;
    let emptyNodes = 0;
    for (const row of picks) {
      const path = join(udDir, row.file);
      const streamed = [];
      for await (const sentence of readConllu(path)) streamed.push(sentence);
      const parsed = parseConllu(await gunzipAsync(readFileSync(path)), { file: path });
      expect(streamed).toEqual(parsed);
      ranges += parsed.reduce((sum, s) => sum + s.tokens.length, 0);
      emptyNodes += parsed.reduce((sum, s) => sum + s.emptyNodes.length, 0);
    }
    expect(ranges).toBeGreaterThan(0);
    expect(emptyNodes).toBeGreaterThan(0);
  }, 60_000);

  it("validateConlluFile(path) finds in every file only the errors UD's validator (levels 1-2) reports too", async () => {
    const found: Record<string, string[]> = {};
    for (const row of readManifestRows()) {
      const diagnostics = await validateConlluFile(join(udDir, row.file), { warnings: false });
      const rules = [...new Set(diagnostics.map((d) => d.ruleId))].sort();
      if (rules.length > 0) found[row.file] = rules;
    }
    // Both faults are real: decomposed letters in `# text_orig` comments, and a bare `# newpar`
    // after a sentence ending in SpaceAfter=No in an older release's file.
    expect(found).toEqual({
      'UD_Moksha-JR/mdf_jr-ud-test.conllu.gz': ['unicode-nfc'],
      'UD_Belarusian-HSE/fallback-r2.6/be_hse-ud-train.conllu.gz': ['newdoc-newpar'],
    });
  }, 120_000);
});
