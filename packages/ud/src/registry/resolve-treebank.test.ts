import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest } from './read-manifest.js';
import { resolveTreebank } from './resolve-treebank.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { scanUdDir } from './scan-ud-dir.js';

const dir = resolveUdDir();
const index = await scanUdDir(dir);

/** An extracted-release layout: <base>/ud-treebanks-v2.15/UD_*\/*.conllu */
function makeRelease(): string {
  const base = mkdtempSync(join(tmpdir(), 'xling-release-'));
  const root = join(base, 'ud-treebanks-v2.15');
  const sentence = '# text = a\n1\ta\ta\tX\t_\t_\t0\troot\t_\t_\n\n';
  const files: Record<string, string[]> = {
    'UD_Foo-Bar': ['foo_bar-ud-train.conllu', 'foo_bar-ud-dev.conllu', 'foo_bar-ud-test.conllu', 'README.md'],
    'UD_Foo-Small': ['foo_small-ud-test.conllu'],
    'UD_Czech-PDT': [
      'cs_pdt-ud-train-ca.conllu',
      'cs_pdt-ud-train-ct.conllu',
      'cs_pdt-ud-dev.conllu',
      'cs_pdt-ud-test.conllu',
    ],
    'UD_German-GSD': ['de_gsd-ud-dev.conllu', 'de_gsd-ud-test.conllu'],
  };
  for (const [treebank, names] of Object.entries(files)) {
    mkdirSync(join(root, treebank), { recursive: true });
    for (const name of names) writeFileSync(join(root, treebank, name), sentence);
  }
  return base;
}

describe('scanUdDir', () => {
  it('scanUdDir(dir) reads the offline layout from MANIFEST.tsv and MISSING.tsv', () => {
    expect(index.layout).toBe('manifest');
    expect(index.files).toHaveLength(151);
    expect(index.files.filter((f) => f.olderRelease)).toHaveLength(6);
    expect(index.missingSplits.find((m) => m.treebank === 'UD_English-EWT')).toMatchObject({
      split: 'train',
      expectedSentences: 12544,
    });
  });

  it('scanUdDir(dir) lists an extracted release, from the folder that holds it', async () => {
    const release = await scanUdDir(makeRelease());
    expect(release.layout).toBe('release');
    expect(release.release).toBe('2.15');
    expect(release.dir).toMatch(/ud-treebanks-v2\.15$/);
    expect(release.treebanks).toEqual(['UD_Czech-PDT', 'UD_Foo-Bar', 'UD_Foo-Small', 'UD_German-GSD']);
    expect(release.files.filter((f) => f.treebank === 'UD_Foo-Bar').map((f) => f.split)).toEqual([
      'train',
      'dev',
      'test',
    ]);
  });

  it('scanUdDir(dir) throws XLING_UD_DATA_MISSING for a folder without treebanks', async () => {
    await expect(scanUdDir(mkdtempSync(join(tmpdir(), 'xling-empty-')))).rejects.toMatchObject({
      code: 'XLING_UD_DATA_MISSING',
      message: expect.stringMatching(/holds no UD treebank/),
    });
  });
});

describe('resolveTreebank', () => {
  it('resolveTreebank(name) resolves a complete treebank with counts from MANIFEST.tsv', async () => {
    const af = await resolveTreebank('UD_Afrikaans-AfriBooms', { index, require: ['train', 'dev', 'test'] });
    expect(af.fitSplit).toBe('train');
    expect(af.testSplit).toBe('test');
    expect(af.missing).toEqual([]);
    expect(af.substitutions).toEqual([]);
    expect(af.splits.train?.sentences).toBe(1315);
    expect(af.splits.test?.files[0]?.path).toMatch(/af_afribooms-ud-test\.conllu\.gz$/);
    expect(af.group).toBe('main');
  });

  it("resolveTreebank(name) fits on dev where train is missing and records 'dev-for-fitting'", async () => {
    const ewt = await resolveTreebank('UD_English-EWT', { dir, require: ['fit', 'test'] });
    expect(ewt.fitSplit).toBe('dev');
    expect(ewt.missing).toEqual(['train']);
    expect(ewt.substitutions).toEqual([
      expect.objectContaining({ kind: 'dev-for-fitting', treebank: 'UD_English-EWT' }),
    ]);
  });

  it("resolveTreebank(name) accepts the file-name code and any case ('en_ewt', 'english-ewt')", async () => {
    expect((await resolveTreebank('en_ewt', { index })).name).toBe('UD_English-EWT');
    expect((await resolveTreebank('english-ewt', { index })).name).toBe('UD_English-EWT');
  });

  it('resolveTreebank(name) flags a file from an older release', async () => {
    const ga = await resolveTreebank('UD_Irish-IDT', { index });
    expect(ga.fitSplit).toBe('train');
    expect(ga.splits.train?.olderRelease).toBe(true);
    expect(ga.substitutions).toEqual([
      expect.objectContaining({
        kind: 'older-release',
        split: 'train',
        message: expect.stringMatching(/older release 2\.6/),
      }),
    ]);
    const strict = await resolveTreebank('UD_Irish-IDT', { index, allowOlderRelease: false });
    expect(strict.fitSplit).toBe('dev');
    expect(strict.missing).toEqual(['train']);
  });

  it("resolveTreebank(name, { require: ['train'] }) throws XLING_UD_DATA_MISSING naming the split and the fallback", async () => {
    await expect(resolveTreebank('UD_German-GSD', { index, require: ['train'] })).rejects.toMatchObject({
      code: 'XLING_UD_DATA_MISSING',
      treebank: 'UD_German-GSD',
      missing: ['train'],
      message: expect.stringMatching(
        /lacks the train split\. Missing: train \(13,813 sentences in UD 2\.16.*dev is used for fitting and test for testing/,
      ),
    });
  });

  it('resolveTreebank(name) throws for a treebank without files and names its substitute', async () => {
    await expect(resolveTreebank('UD_Arabic-PADT', { index })).rejects.toMatchObject({
      code: 'XLING_UD_DATA_MISSING',
      message: expect.stringMatching(
        /has no file in .*Missing: train .*dev .*test .*UD_Arabic-PUD .*stands in for it/,
      ),
    });
  });

  it("resolveTreebank(name, { require: ['fit'] }) says a test-only treebank is for testing only", async () => {
    await expect(resolveTreebank('UD_Yoruba-YTB', { index, require: ['fit'] })).rejects.toThrow(
      /lacks a split to fit on \(train or dev\)\. Missing: train, dev\. Fallback: none for fitting/,
    );
  });

  it('resolveTreebank(name) throws for an unknown name with suggestions', async () => {
    await expect(resolveTreebank('UD_Englsh-EWT', { index })).rejects.toThrow(
      /Unknown treebank 'UD_Englsh-EWT'.*Did you mean .*UD_English-EWT/,
    );
  });

  it('resolveTreebank(name) reports MANIFEST.tsv rows whose file is not on disk', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'xling-manifest-'));
    const rows = (await readManifest(dir))!.filter((r) => r.treebank === 'UD_Marathi-UFAL');
    const header =
      'treebank\tlang\tsplit\tfile\tsentences\ttokens\tsha256\tud_version\tlicense\tgroup\tsource_ref\tsource_commit\tbytes\tgz_bytes\tnote';
    const lines = rows.map((r) =>
      [
        r.treebank,
        r.language,
        r.split,
        r.file,
        r.sentences,
        r.words,
        r.sha256,
        r.udVersion,
        r.license,
        r.group,
        r.sourceRef,
        r.sourceCommit,
        r.bytes,
        r.gzBytes,
        r.note,
      ].join('\t'),
    );
    writeFileSync(join(copy, 'MANIFEST.tsv'), `${header}\n${lines.join('\n')}\n`);
    mkdirSync(join(copy, 'UD_Marathi-UFAL'));
    for (const row of rows.filter((r) => r.split !== 'train'))
      copyFileSync(join(dir, row.file), join(copy, row.file));
    const mr = await resolveTreebank('UD_Marathi-UFAL', { dir: copy });
    expect(mr.missing).toEqual(['train']);
    expect(mr.fitSplit).toBe('dev');
    await expect(resolveTreebank('UD_Marathi-UFAL', { dir: copy, require: ['train'] })).rejects.toThrow(
      /Listed in MANIFEST\.tsv but not on disk: UD_Marathi-UFAL\/mr_ufal-ud-train\.conllu\.gz/,
    );
  });

  it('resolveTreebank(name) resolves an extracted release, also several train files', async () => {
    const base = makeRelease();
    const pdt = await resolveTreebank('UD_Czech-PDT', { dir: base, require: ['train'] });
    expect(pdt.layout).toBe('release');
    expect(pdt.language).toBe('cs');
    expect(pdt.group).toBeUndefined();
    expect(pdt.splits.train?.files.map((f) => f.file)).toEqual([
      'UD_Czech-PDT/cs_pdt-ud-train-ca.conllu',
      'UD_Czech-PDT/cs_pdt-ud-train-ct.conllu',
    ]);
    expect(pdt.splits.train?.files[0]?.udVersion).toBe('2.15');
    const gsd = await resolveTreebank('UD_German-GSD', { dir: base, require: ['fit'] });
    expect(gsd.fitSplit).toBe('dev');
    expect(gsd.language).toBe('de');
  });

  it('resolveTreebank(name, options) throws XLING_INVALID_ARGUMENT for bad options', async () => {
    await expect(resolveTreebank('en_ewt', { index, require: ['training'] as never })).rejects.toThrow(
      /options\.require' passed to 'resolveTreebank' must be an array of 'train', 'dev', 'test' or 'fit'/,
    );
    await expect(resolveTreebank('en_ewt', { index, strict: true } as never)).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
    });
  });
});
