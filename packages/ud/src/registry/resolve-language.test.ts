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

  it('resolveLanguage(code) throws XLING_INVALID_ARGUMENT for a code outside the study', async () => {
    await expect(resolveLanguage('xx', { index })).rejects.toMatchObject({
      code: 'XLING_INVALID_ARGUMENT',
      message: expect.stringMatching(/must be a study language code .*but got 'xx'/),
    });
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
