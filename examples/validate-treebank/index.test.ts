import { describe, expect, it } from 'vitest';
import { main } from './index.js';

describe('validate-treebank', () => {
  it("main({ treebank: 'UD_Welsh-CCG' }) validates the real test file and reports every pre-processing step", async () => {
    const lines: string[] = [];
    const result = await main({ treebank: 'UD_Welsh-CCG', log: (line) => lines.push(line) });
    expect(lines[0]).toMatch(/^UD_Welsh-CCG \(cy\), test: 1 file\(s\) in /);
    expect(lines.some((l) => /^Validation: (no problems\.|\d+ problem\(s\): )/.test(l))).toBe(true);
    const { report } = result;
    // Welsh CCG has multiword tokens (e.g. 'i'r' = i + 'r), merged into one word each.
    expect(report.multiwordTokens.tokensMerged).toBeGreaterThan(0);
    expect(
      report.wordsIn -
        report.multiwordTokens.wordsRemoved -
        report.maxWords.wordsRemoved -
        report.validTree.wordsRemoved,
    ).toBe(report.wordsOut);
    expect(report.sentencesIn).toBe(953 - result.skipped);
    expect(lines).toContain(`  out: ${report.sentencesOut} sentences, ${report.wordsOut} words`);
  });

  it("main({ treebank: 'UD_Nope-XYZ' }) rejects with XLING_UD_DATA_MISSING", async () => {
    await expect(main({ treebank: 'UD_Nope-XYZ', log: () => {} })).rejects.toMatchObject({
      code: 'XLING_UD_DATA_MISSING',
    });
  });
});
