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
});
