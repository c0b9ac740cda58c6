import { readManifest } from './read-manifest.js';
import { languagesByRole } from './languages-by-role.js';
import { resolveUdDir } from './resolve-ud-dir.js';
import { STUDY_LANGUAGES } from './study-languages.js';
import { TREEBANKS } from './treebanks.js';
import { describe, expect, it } from 'vitest';

const codes = (role: Parameters<typeof languagesByRole>[0], options = {}) =>
  languagesByRole(role, options).map((l) => l.code);

describe('STUDY_LANGUAGES', () => {
  it('STUDY_LANGUAGES holds the 43 main languages of METHOD.md and 24 low-resource ones', () => {
    const main = STUDY_LANGUAGES.filter((l) => !l.roles.includes('low-resource')).map((l) => l.code);
    expect(main.join(' ')).toBe(
      'af ar bg ca cy de el en es et eu fa fi fr ga he hi hu hy id is it ja ko lt lv mr nl no pl pt ro ru sk sr sv ta te tr uk ur vi zh',
    );
    expect(STUDY_LANGUAGES.filter((l) => l.roles.includes('low-resource'))).toHaveLength(24);
    expect(new Set(STUDY_LANGUAGES.map((l) => l.code)).size).toBe(STUDY_LANGUAGES.length);
  });

  it('languagesByRole(role) gives 17 targets and 26 meta-training languages, disjoint', () => {
    expect(codes('target').join(' ')).toBe('af cy el eu ga hu hy ko lt mr sr ta te tr ur vi zh');
    expect(codes('meta-train')).toHaveLength(26);
    expect(codes('meta-train').filter((c) => codes('target').includes(c))).toEqual([]);
  });

  it("languagesByRole('validation') leaves out the leaked targets tr and zh unless asked", () => {
    const reference = 'ar bg ca de en es et fa fi fr he hi ja lv nl no pt ro ru sk tr zh';
    expect(codes('validation', { includeTargetOverlap: true }).join(' ')).toBe(reference);
    expect(codes('validation').join(' ')).toBe(reference.replace(' tr zh', ''));
  });

  it('languagesByRole(role) throws XLING_INVALID_ARGUMENT for an unknown role or option', () => {
    expect(() => languagesByRole('source' as never)).toThrow(/must be one of 'meta-train'/);
    expect(() => languagesByRole('target', { leak: true } as never)).toThrow(
      expect.objectContaining({ code: 'XLING_INVALID_ARGUMENT' }),
    );
  });
});

describe('TREEBANKS', () => {
  it('TREEBANKS agrees with MANIFEST.tsv on language and group of every staged treebank', async () => {
    const manifest = (await readManifest(resolveUdDir()))!;
    const staged = new Map(manifest.map((row) => [row.treebank, row]));
    expect(staged.size).toBe(76);
    for (const [name, row] of staged) {
      const info = TREEBANKS.find((t) => t.name === name);
      expect(info, name).toBeDefined();
      expect(info!.language, name).toBe(row.language);
      const group = info!.group === 'substitute' ? 'main' : info!.group;
      expect(group, name).toBe(row.group);
      if (info!.group === 'substitute') expect(row.note).toContain(`substitute for ${info!.substituteFor}`);
    }
  });

  it('TREEBANKS lists each name once and every study treebank', () => {
    expect(new Set(TREEBANKS.map((t) => t.name)).size).toBe(TREEBANKS.length);
    for (const language of STUDY_LANGUAGES) {
      expect(TREEBANKS.some((t) => t.name === language.treebank)).toBe(true);
    }
    expect(TREEBANKS.filter((t) => t.group === 'extra')).toHaveLength(9);
  });
});
