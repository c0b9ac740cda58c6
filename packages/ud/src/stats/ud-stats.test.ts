import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type ProgressEvent, readLines, stripDeprelSubtype } from '@xling/core';
import { describe, expect, it } from 'vitest';
import { readManifest } from '../registry/read-manifest.js';
import { resolveUdDir } from '../registry/resolve-ud-dir.js';
import { conlluFileStats } from './conllu-file-stats.js';
import { treebankStats } from './treebank-stats.js';
import { udStats } from './ud-stats.js';

const dir = resolveUdDir();
const manifest = (await readManifest(dir))!;
// Several real treebanks: one with multiword tokens (ca, fallback files), one with empty nodes
// (en EWT), a complete one with train (af), a test-only low-resource one, an extra one.
const chosen = [
  'UD_Catalan-AnCora',
  'UD_English-EWT',
  'UD_Afrikaans-AfriBooms',
  'UD_Yoruba-YTB',
  'UD_Turkish-IMST',
];

/** Independent counts straight from the lines, without the CoNLL-U reader. */
async function countLines(path: string) {
  let sentences = 0;
  let words = 0;
  let ranges = 0;
  let empty = 0;
  let inSentence = false;
  const upos: Record<string, number> = {};
  const deprel: Record<string, number> = {};
  for await (const line of readLines(path)) {
    if (line === '') {
      if (inSentence) sentences++;
      inSentence = false;
      continue;
    }
    inSentence = true;
    if (line.startsWith('#')) continue;
    const columns = line.split('\t');
    if (/^\d+-\d+$/.test(columns[0]!)) ranges++;
    else if (/^\d+\.\d+$/.test(columns[0]!)) empty++;
    else {
      words++;
      upos[columns[3]!] = (upos[columns[3]!] ?? 0) + 1;
      const relation = stripDeprelSubtype(columns[7]!);
      deprel[relation] = (deprel[relation] ?? 0) + 1;
    }
  }
  return { sentences, words, ranges, empty, upos, deprel };
}

describe('udStats', () => {
  it('udStats(dir, { treebanks }) matches MANIFEST.tsv sentence and word counts on several real treebanks', async () => {
    const events: ProgressEvent[] = [];
    const stats = await udStats(dir, { treebanks: chosen, onProgress: (e) => events.push(e) });
    expect(stats.treebanks.map((t) => t.treebank)).toEqual(chosen);
    let files = 0;
    for (const treebank of stats.treebanks) {
      for (const split of Object.values(treebank.splits)) {
        const rows = manifest.filter((r) => r.treebank === treebank.treebank && r.split === split.split);
        expect(rows.length, `${treebank.treebank} ${split.split}`).toBe(1);
        expect(split.sentences, `${treebank.treebank} ${split.split}`).toBe(rows[0]!.sentences);
        expect(split.words, `${treebank.treebank} ${split.split}`).toBe(rows[0]!.words);
        expect(split.bytes).toBe(rows[0]!.bytes);
        expect(split.expected).toEqual({ sentences: rows[0]!.sentences, words: rows[0]!.words });
        files++;
      }
    }
    expect(stats.totals.files).toBe(files);
    expect(stats.totals.sentences).toBe(
      manifest.filter((r) => chosen.includes(r.treebank)).reduce((s, r) => s + r.sentences, 0),
    );
    expect(events[0]).toMatchObject({ status: 'start', task: 'ud-stats', total: files, unit: 'file' });
    const progress = events.filter((e) => e.status === 'progress');
    expect(progress.map((e) => (e.status === 'progress' ? e.done : 0))).toEqual(
      Array.from({ length: files }, (_, i) => i + 1),
    );
    expect(progress[0]).toMatchObject({
      metrics: { sentencesPerSecond: expect.any(Number), wordsPerSecond: expect.any(Number) },
    });
    expect(events.at(-1)).toMatchObject({ status: 'end', done: files });
    const ca = stats.treebanks[0]!;
    expect(ca.fitSplit).toBe('dev');
    expect(ca.splits.dev?.olderRelease).toBe(true);
    expect(ca.substitutions.map((s) => s.kind)).toEqual([
      'dev-for-fitting',
      'older-release',
      'older-release',
    ]);
  });

  it('treebankStats(name) agrees with an independent line count on UPOS, deprel, ranges and empty nodes', async () => {
    const stats = await treebankStats('UD_English-EWT', { dir });
    const row = manifest.find((r) => r.treebank === 'UD_English-EWT' && r.split === 'dev')!;
    const reference = await countLines(join(dir, row.file));
    const dev = stats.splits.dev!;
    expect(dev.sentences).toBe(reference.sentences);
    expect(dev.multiwordTokens).toBe(reference.ranges);
    expect(dev.emptyNodes).toBe(reference.empty);
    expect(dev.emptyNodes).toBeGreaterThan(0);
    expect(dev.multiwordTokens).toBeGreaterThan(0);
    expect(dev.upos).toEqual(reference.upos);
    expect(dev.deprel).toEqual(reference.deprel);
    expect(Object.keys(dev.deprel).some((k) => k.includes(':'))).toBe(false);
    expect(Object.values(dev.upos).reduce((a, b) => a + b, 0)).toBe(dev.words);
  });

  it('conlluFileStats(path) throws XLING_FILE_FORMAT on a bad file and skips it in lenient mode', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'xling-stats-'));
    const bad = join(folder, 'bad.conllu');
    const good = '1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n';
    writeFileSync(bad, `${good}1\tb\tb\tX\t_\t_\t0\troot\t_\n\n${good}`);
    await expect(conlluFileStats(bad)).rejects.toMatchObject({ code: 'XLING_FILE_FORMAT', line: 3 });
    const lenient = await conlluFileStats(bad, { mode: 'lenient' });
    expect(lenient).toMatchObject({ sentences: 2, words: 2, skippedSentences: 1 });
  });

  it('conlluFileStats(path.gz) refuses a line over 1 MiB (a gzip bomb without line ends) with XLING_LIMIT_EXCEEDED', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'xling-stats-'));
    try {
      const bomb = join(folder, 'bomb.conllu.gz');
      // 2 MiB of one line gzips to about 2 KB.
      writeFileSync(bomb, gzipSync(Buffer.alloc(2 << 20, 'x')));
      await expect(conlluFileStats(bomb)).rejects.toMatchObject({
        code: 'XLING_LIMIT_EXCEEDED',
        file: bomb,
        limit: 'maxLineBytes',
        maximum: 1 << 20,
        message: expect.stringContaining(': line 1 is longer than 1048576 bytes'),
      });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('udStats(dir) counts an extracted release folder', async () => {
    const base = mkdtempSync(join(tmpdir(), 'xling-stats-release-'));
    mkdirSync(join(base, 'UD_Foo-Bar'));
    writeFileSync(
      join(base, 'UD_Foo-Bar', 'foo_bar-ud-test.conllu'),
      '# text = ab c\n1-2\tab\t_\t_\t_\t_\t_\t_\t_\t_\n1\ta\ta\tDET\t_\t_\t2\tdet\t_\t_\n2\tb\tb\tNOUN\t_\t_\t0\troot\t_\t_\n3\tc\tc\tNOUN\t_\t_\t2\tnmod:poss\t_\t_\n\n',
    );
    const stats = await udStats(base);
    expect(stats.layout).toBe('release');
    expect(stats.treebanks[0]).toMatchObject({ treebank: 'UD_Foo-Bar', fitSplit: null, testSplit: 'test' });
    expect(stats.treebanks[0]!.splits.test).toMatchObject({
      sentences: 1,
      words: 3,
      multiwordTokens: 1,
      upos: { DET: 1, NOUN: 2 },
      deprel: { det: 1, nmod: 1, root: 1 },
    });
  });

  it('udStats(dir, options) throws XLING_INVALID_ARGUMENT for bad options and XLING_ABORTED when aborted', async () => {
    await expect(udStats(dir, { mode: 'loose' as never })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
    const controller = new AbortController();
    controller.abort();
    await expect(
      udStats(dir, { treebanks: ['UD_Welsh-CCG'], signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'XLING_ABORTED',
    });
  });
});
