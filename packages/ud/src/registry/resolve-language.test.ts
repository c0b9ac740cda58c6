import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveLanguage } from './resolve-language.js';
import { resolveLanguages } from './resolve-languages.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { scanUdDir } from './scan-ud-dir.js';

const index = await scanUdDir(resolveUdDir());

describe('resolveLanguage', () => {
  it("resolveLanguage('ar') uses UD_Arabic-PUD and records the substitution", async () => {
    const ar = await resolveLanguage('ar', { index, require: ['test'] });
    expect(ar.treebank.name).toBe('UD_Arabic-PUD');
    expect(ar.treebank.fitSplit).toBeNull();
    expect(ar.substitutions).toEqual([
      expect.objectContaining({
        kind: 'substitute-treebank',
        treebank: 'UD_Arabic-PUD',
        replaces: 'UD_Arabic-PADT',
      }),
    ]);
  });

  it("resolveLanguage('ar', { require: ['fit'] }) explains that the substitute is test-only", async () => {
    await expect(resolveLanguage('ar', { index, require: ['fit'] })).rejects.toThrow(
      /UD_Arabic-PADT has no file in .*substitute UD_Arabic-PUD cannot be used: .*lacks a split to fit on/,
    );
  });

  it("resolveLanguage('en', { includeExtra: true }) adds the extra English treebanks", async () => {
    const en = await resolveLanguage('en', { index, includeExtra: true });
    expect(en.treebank.name).toBe('UD_English-EWT');
    expect(en.extras.map((t) => t.name)).toEqual([
      'UD_English-Atis',
      'UD_English-GUM',
      'UD_English-LinES',
      'UD_English-ParTUT',
      'UD_English-PUD',
    ]);
    expect(en.substitutions.filter((s) => s.kind === 'dev-for-fitting').map((s) => s.treebank)).toEqual([
      'UD_English-EWT',
      'UD_English-GUM',
    ]);
  });

  it('resolveLanguage(code) throws XLING_UD_DATA_MISSING for a language with no treebank, XLING_INVALID_ARGUMENT for a non-code', async () => {
    await expect(resolveLanguage('xx', { index })).rejects.toMatchObject({
      code: 'XLING_UD_DATA_MISSING',
      message: expect.stringMatching(/'xx' is not a study language and no treebank .* xx_\*-ud-\*\.conllu/),
    });
    await expect(resolveLanguage('e n', { index })).rejects.toMatchObject({ code: 'XLING_INVALID_ARGUMENT' });
  });

  it('resolveLanguage(code) resolves a language outside the study from the UD directory, preferring the treebank that can fit and test', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'xling-ud-other-'));
    try {
      const release = join(dir, 'ud-treebanks-v2.99');
      const sentence = (i: number) =>
        `# sent_id = s${i}\n# text = Ola mundo\n1\tOla\tola\tINTJ\t_\t_\t0\troot\t_\t_\n2\tmundo\tmundo\tNOUN\t_\t_\t1\tvocative\t_\t_\n\n`;
      const write = async (treebank: string, file: string, n: number) => {
        await mkdir(join(release, treebank), { recursive: true });
        await writeFile(
          join(release, treebank, file),
          Array.from({ length: n }, (_, i) => sentence(i)).join(''),
        );
      };
      await write('UD_Galician-Big', 'gl_big-ud-test.conllu', 50); // more text, but test only
      await write('UD_Galician-Both', 'gl_both-ud-train.conllu', 5);
      await write('UD_Galician-Both', 'gl_both-ud-test.conllu', 5);
      await write('UD_Old_Tiny-X', 'xot_x-ud-dev.conllu', 3);
      const other = await scanUdDir(release);
      const gl = await resolveLanguage('gl', { index: other });
      expect([gl.code, gl.name, gl.treebank.name, gl.treebank.fitSplit, gl.roles]).toEqual([
        'gl',
        'Galician',
        'UD_Galician-Both',
        'train',
        [],
      ]);
      const xot = await resolveLanguage('XOT', { index: other });
      expect([xot.code, xot.name, xot.treebank.fitSplit, xot.treebank.testSplit]).toEqual([
        'xot',
        'Old Tiny',
        'dev',
        null,
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('resolveLanguages', () => {
  it("resolveLanguages('target') resolves all 17 zero-shot targets with a test split", async () => {
    const { languages, skipped } = await resolveLanguages('target', { index, require: ['test'] });
    expect(languages).toHaveLength(17);
    expect(skipped).toEqual([]);
    expect(languages.every((l) => l.treebank.testSplit === 'test')).toBe(true);
  });

  it("resolveLanguages('meta-train', { require: ['fit', 'test'] }) throws one error listing ar and hi", async () => {
    const error = await resolveLanguages('meta-train', { index, require: ['fit', 'test'] }).catch((e) => e);
    expect(error.code).toBe('XLING_UD_DATA_MISSING');
    expect(error.message).toMatch(/^2 of 26 languages cannot be resolved/);
    expect(error.message).toMatch(/\n {2}ar: /);
    expect(error.message).toMatch(/\n {2}hi: /);
  });

  it("resolveLanguages(codes, { onMissing: 'skip' }) returns what resolves and lists the rest", async () => {
    const { languages, skipped } = await resolveLanguages(['en', 'hi', 'de'], {
      index,
      require: ['fit'],
      onMissing: 'skip',
    });
    expect(languages.map((l) => `${l.code}:${l.treebank.fitSplit}`)).toEqual(['en:dev', 'de:dev']);
    expect(skipped.map((s) => s.code)).toEqual(['hi']);
  });

  it("resolveLanguages('validation') leaves out tr and zh by default", async () => {
    const { languages } = await resolveLanguages('validation', { index, require: ['test'] });
    expect(languages.map((l) => l.code)).not.toContain('tr');
    expect(languages).toHaveLength(20);
    const leaky = await resolveLanguages('validation', { index, includeTargetOverlap: true });
    expect(leaky.languages).toHaveLength(22);
  });
});
