import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { scanUdDir, resolveUdDir } from '@xling/ud';
import { describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from './experiment-config.js';
import { resolveExperimentLanguages } from './experiment-languages.js';

const index = scanUdDir(resolveUdDir());
const config = (changes: Record<string, unknown>) => resolveExperimentConfig({ model: 'm', ...changes });

describe('resolveExperimentLanguages(config, index)', () => {
  it('keeps the targets out of the registry validation languages (the reference leaks tr and zh)', async () => {
    const { languages } = await resolveExperimentLanguages(config({}), await index);
    const validation = languages.filter((l) => l.roles.includes('validation')).map((l) => l.language);
    const targets = languages.filter((l) => l.roles.includes('target')).map((l) => l.language);
    expect(validation.length).toBeGreaterThan(5);
    expect(validation.filter((l) => targets.includes(l))).toEqual([]);
    expect(targets).toEqual(expect.arrayContaining(['tr', 'zh', 'cy']));
  });

  it('leaves out registry defaults without the data for their role, with a warning', async () => {
    // Arabic's study treebank has no file here; its PUD substitute is test-only, so it cannot meta-train.
    const { languages, warnings } = await resolveExperimentLanguages(config({}), await index);
    expect(languages.find((l) => l.language === 'ar')?.roles ?? []).not.toContain('meta');
    expect(warnings.some((w) => /^ar: .*no train or dev split/.test(w))).toBe(true);
  });

  it('throws XLING_CONFIG naming the key when an explicitly listed language cannot serve its role', async () => {
    await expect(
      resolveExperimentLanguages(
        config({
          metaLanguages: ['de', 'ar'],
          targetLanguages: ['cy'],
          lowResourceTreebanks: ['UD_Nowhere-XYZ'],
        }),
        await index,
      ),
    ).rejects.toThrow(
      /metaLanguages: 'ar' \(UD_Arabic-PUD\) has no train or dev split[\s\S]*lowResourceTreebanks: 'UD_Nowhere-XYZ' is left out/,
    );
  });

  it('takes languages outside the study in every role, resolved from the UD directory', async () => {
    // Real sentences (an Afrikaans dev file) filed under four languages the study does not have.
    const dir = await mkdtemp(join(tmpdir(), 'xling-other-languages-'));
    try {
      const text = gunzipSync(
        await readFile(join(resolveUdDir(), 'UD_Afrikaans-AfriBooms', 'af_afribooms-ud-dev.conllu.gz')),
      );
      const release = join(dir, 'ud-treebanks-v2.99');
      for (const [treebank, code] of [
        ['UD_Galician-CTG', 'gl'],
        ['UD_Maltese-MUDT', 'mt'],
        ['UD_Wolof-WTB', 'wo'],
        ['UD_Ligurian-GLT', 'lij'],
      ]) {
        await mkdir(join(release, treebank), { recursive: true });
        for (const split of ['train', 'test'])
          await writeFile(
            join(release, treebank, `${code}_${treebank.split('-')[1]!.toLowerCase()}-ud-${split}.conllu`),
            text,
          );
      }
      const roles = {
        sourceLanguage: 'gl',
        metaLanguages: ['mt'],
        validationLanguages: ['wo'],
        targetLanguages: ['lij'],
      };
      const { languages, warnings } = await resolveExperimentLanguages(
        config({ ...roles, lowResourceTreebanks: [] }),
        await scanUdDir(release),
      );
      expect(languages.map((l) => [l.language, l.treebank.name, l.roles])).toEqual([
        ['gl', 'UD_Galician-CTG', ['source']],
        ['mt', 'UD_Maltese-MUDT', ['meta']],
        ['wo', 'UD_Wolof-WTB', ['validation']],
        ['lij', 'UD_Ligurian-GLT', ['target']],
      ]);
      expect(warnings).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
